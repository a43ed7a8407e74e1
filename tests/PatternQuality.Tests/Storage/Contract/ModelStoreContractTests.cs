using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using PatternQuality.Storage;
using PatternQuality.Versioning;

namespace PatternQuality.Tests.Storage.Contract;

/// <summary>
/// What every <see cref="IModelStore"/> promises (issue 13 item 3), run once per store by a derived class: versions,
/// metadata, aliases, rollback and retention through <see cref="ModelVersionManager"/>, checksums, the critical section
/// of <see cref="IModelStore.UpdateAsync"/> under concurrent writers from two store instances (which share nothing in
/// memory, as two processes would). Store-specific behaviour (files, locks, SQL) stays in each store's own tests.
/// </summary>
public abstract class ModelStoreContractTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly List<IModelStore> _stores = [];

    /// <summary>Gets a fresh temporary directory for the store's data, deleted after the test.</summary>
    protected string TempPath => _temp.Path;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the stores this test created and deletes its temporary directory.</summary>
    protected virtual void Dispose(bool disposing)
    {
        foreach (var store in _stores)
        {
            (store as IDisposable)?.Dispose();
        }

        _temp.Dispose();
    }

    [Fact]
    public async Task SaveAsync_ThenLoadFromAnotherInstance_RoundTripsBytesAndMetadata()
    {
        if (Unavailable())
        {
            return;
        }

        var metadata = new ModelMetadata("v1")
        {
            ParentVersion = "v0",
            CreatedAt = new DateTimeOffset(2026, 11, 23, 19, 5, 12, TimeSpan.FromHours(2)),
            SchemaHash = new string('a', 64),
            WatermarkSequence = 41,
            TrainingRows = 12684,
            Metrics = new Dictionary<string, double> { ["auc"] = 0.81, ["ece"] = double.NaN, ["logloss"] = double.PositiveInfinity },
            Properties = new Dictionary<string, string> { ["trainer"] = "gbdt", ["note"] = "ünïcode \"quoted\"" },
            Aliases = ["challenger", "canary"],
            Pinned = true,
            Promoted = false,
            Decision = "rejected: Brier not improved",
        };

        await Store().SaveAsync(metadata, Bytes("model one"));
        var loaded = await Store().LoadAsync("v1");

        Assert.Equal("model one", Text(loaded));
        var m = loaded.Metadata;
        Assert.Equal(("v0", metadata.CreatedAt, metadata.SchemaHash, 41L, 12684L), (m.ParentVersion, m.CreatedAt, m.SchemaHash, m.WatermarkSequence, m.TrainingRows));
        Assert.Equal(metadata.CreatedAt.Offset, m.CreatedAt.Offset);
        Assert.Equal(0.81, m.Metrics["auc"]);
        Assert.True(double.IsNaN(m.Metrics["ece"]));
        Assert.Equal(double.PositiveInfinity, m.Metrics["logloss"]);
        Assert.Equal(metadata.Properties.OrderBy(p => p.Key), m.Properties.OrderBy(p => p.Key));
        Assert.Equal(["challenger", "canary"], m.Aliases);
        Assert.True(m.Pinned);
        Assert.False(m.Promoted);
        Assert.Equal(metadata.Decision, m.Decision);
    }

    [Fact]
    public async Task SaveAsync_EmptyAndLargeContent_RoundTrip()
    {
        if (Unavailable())
        {
            return;
        }

        var sut = Store();
        var large = new byte[3 * 1024 * 1024];
        new Random(13).NextBytes(large);

        await sut.SaveAsync(new ModelMetadata("empty"), ReadOnlyMemory<byte>.Empty);
        await sut.SaveAsync(new ModelMetadata("large"), large);

        Assert.Equal(0, (await Store().LoadAsync("empty")).Content.Length);
        Assert.Equal(large, (await Store().LoadAsync("large")).Content.ToArray());
    }

    [Fact]
    public async Task SaveAsync_ExistingVersion_ThrowsAndKeepsOriginal()
    {
        if (Unavailable())
        {
            return;
        }

        var sut = Store();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("first"));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => sut.SaveAsync(new ModelMetadata("v1"), Bytes("second")));

        Assert.Contains("'v1'", ex.Message, StringComparison.Ordinal);
        Assert.Equal("first", Text(await sut.LoadAsync("v1")));
    }

    [Fact]
    public async Task EmptyStore_ListsNothingAndHasNoActiveVersion()
    {
        if (Unavailable())
        {
            return;
        }

        var sut = Store();

        Assert.Empty(await sut.ListAsync());
        Assert.Null(await sut.GetActiveVersionAsync());
        await Assert.ThrowsAsync<ModelNotFoundException>(() => sut.LoadAsync("v1"));
    }

    [Fact]
    public async Task LoadAsync_UnknownVersion_ThrowsModelNotFoundNamingAvailable()
    {
        if (Unavailable())
        {
            return;
        }

        var sut = Store();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("x"));

        var ex = await Assert.ThrowsAsync<ModelNotFoundException>(() => sut.LoadAsync("v9"));

        Assert.Equal("v9", ex.Version);
        Assert.Contains("v1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAsync_IsInSaveOrderNotNameOrder()
    {
        if (Unavailable())
        {
            return;
        }

        var sut = Store();
        foreach (var v in new[] { "b", "a", "c" })
        {
            await sut.SaveAsync(new ModelMetadata(v), Bytes(v));
        }

        Assert.Equal(["b", "a", "c"], (await Store().ListAsync()).Select(m => m.Version));
    }

    [Fact]
    public async Task UpdateMetadataAsync_ChangesMetadataNotBytes()
    {
        if (Unavailable())
        {
            return;
        }

        var sut = Store();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));

        await sut.UpdateMetadataAsync(new ModelMetadata("v1") { Pinned = true, Aliases = ["champion"] });
        await Assert.ThrowsAsync<ModelNotFoundException>(() => sut.UpdateMetadataAsync(new ModelMetadata("v2")));

        var loaded = await Store().LoadAsync("v1");
        Assert.True(loaded.Metadata.Pinned);
        Assert.Equal(["champion"], loaded.Metadata.Aliases);
        Assert.Equal("one", Text(loaded));
    }

    [Fact]
    public async Task DeleteAsync_InactiveIsDeleted_ActiveIsRefused_MissingIsFalse()
    {
        if (Unavailable())
        {
            return;
        }

        var sut = Store();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        await sut.SaveAsync(new ModelMetadata("v2"), Bytes("two"));
        await sut.SetActiveVersionAsync("v2");

        Assert.True(await sut.DeleteAsync("v1"));
        Assert.False(await sut.DeleteAsync("v1"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => sut.DeleteAsync("v2"));

        var restarted = Store();
        Assert.Equal(["v2"], (await restarted.ListAsync()).Select(m => m.Version));
        Assert.Equal("v2", await restarted.GetActiveVersionAsync());
        await Assert.ThrowsAsync<ModelNotFoundException>(() => restarted.LoadAsync("v1"));
    }

    [Fact]
    public async Task SetActiveVersionAsync_UnknownVersion_ThrowsAndActiveStays()
    {
        if (Unavailable())
        {
            return;
        }

        var sut = Store();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        await sut.SetActiveVersionAsync("v1");

        await Assert.ThrowsAsync<ModelNotFoundException>(() => sut.SetActiveVersionAsync("v3"));

        Assert.Equal("v1", await Store().GetActiveVersionAsync());
    }

    [Fact]
    public async Task UpdateAsync_AppliesMetadataAndActivationTogether()
    {
        if (Unavailable())
        {
            return;
        }

        var sut = Store();
        await sut.SaveAsync(new ModelMetadata("v1") { Aliases = ["champion"] }, Bytes("one"));
        await sut.SaveAsync(new ModelMetadata("v2"), Bytes("two"));
        await sut.SetActiveVersionAsync("v1");

        await sut.UpdateAsync(
            (snapshot, _) =>
            {
                Assert.Equal("v1", snapshot.ActiveVersion);
                Assert.Equal(["v1", "v2"], snapshot.Versions.Select(v => v.Version));
                return Task.FromResult<ModelStoreChange?>(new ModelStoreChange
                {
                    UpdatedVersions = [snapshot.Get("v1") with { Aliases = [] }, snapshot.Get("v2") with { Aliases = ["champion"], Promoted = true }],
                    ActivateVersion = "v2",
                });
            });

        var restarted = Store();
        Assert.Equal("v2", await restarted.GetActiveVersionAsync());
        var list = await restarted.ListAsync();
        Assert.Equal([[], ["champion"]], list.Select(m => m.Aliases.ToArray()));
        Assert.True(list[1].Promoted);
    }

    [Fact]
    public async Task UpdateAsync_CallbackMayLoadVersions()
    {
        if (Unavailable())
        {
            return;
        }

        var sut = Store();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        string? seen = null;

        await sut.UpdateAsync(async (_, ct) =>
        {
            seen = Text(await sut.LoadAsync("v1", ct));
            return null;
        });

        Assert.Equal("one", seen);
    }

    [Fact]
    public async Task UpdateAsync_CallbackThrowsOrNamesMissingVersion_NothingChanges()
    {
        if (Unavailable())
        {
            return;
        }

        var sut = Store();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        await sut.SaveAsync(new ModelMetadata("v2"), Bytes("two"));
        await sut.SetActiveVersionAsync("v1");

        await Assert.ThrowsAsync<TimeoutException>(() => sut.UpdateAsync((_, _) => throw new TimeoutException("decided nothing")));
        await Assert.ThrowsAsync<ModelNotFoundException>(() => sut.UpdateAsync((s, _) => Task.FromResult<ModelStoreChange?>(new ModelStoreChange
        {
            UpdatedVersions = [s.Get("v2") with { Aliases = ["champion"] }, new ModelMetadata("gone")],
            ActivateVersion = "v2",
        })));
        await Assert.ThrowsAsync<ModelNotFoundException>(() => sut.UpdateAsync((s, _) => Task.FromResult<ModelStoreChange?>(new ModelStoreChange
        {
            UpdatedVersions = [s.Get("v2") with { Aliases = ["champion"] }],
            ActivateVersion = "gone",
        })));

        var restarted = Store();
        Assert.Equal("v1", await restarted.GetActiveVersionAsync());
        Assert.All(await restarted.ListAsync(), m => Assert.Empty(m.Aliases));
    }

    [Fact]
    public async Task UpdateAsync_ConcurrentReadModifyWritesFromTwoInstances_NoneIsLost()
    {
        if (Unavailable())
        {
            return;
        }

        var stores = new[] { Store(), Store() };
        await stores[0].SaveAsync(new ModelMetadata("v1") { Properties = new Dictionary<string, string> { ["count"] = "0" } }, Bytes("one"));
        const int tasksPerStore = 3;
        const int incrementsPerTask = 4;

        // Each increment reads the counter, yields (so the others run), then writes it back: a lost update shows as a
        // count below the number of increments.
        await Task.WhenAll(stores.SelectMany(store => Enumerable.Range(0, tasksPerStore).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < incrementsPerTask; i++)
            {
                await store.UpdateAsync(async (snapshot, _) =>
                {
                    var m = snapshot.Get("v1");
                    var count = int.Parse(m.Properties["count"], CultureInfo.InvariantCulture);
                    await Task.Yield();
                    return new ModelStoreChange { UpdatedVersions = [m with { Properties = new Dictionary<string, string> { ["count"] = (count + 1).ToString(CultureInfo.InvariantCulture) } }] };
                });
            }
        }))));

        var final = (await Store().LoadAsync("v1")).Metadata.Properties["count"];
        Assert.Equal((stores.Length * tasksPerStore * incrementsPerTask).ToString(CultureInfo.InvariantCulture), final);
    }

    [Fact]
    public async Task SaveAsync_TwoInstancesManyThreads_EveryVersionListedAndLoads()
    {
        if (Unavailable())
        {
            return;
        }

        var stores = new[] { Store(), Store() };
        const int threadsPerStore = 4;
        const int savesPerThread = 4;
        var tasks = new List<Task>();
        for (var s = 0; s < stores.Length; s++)
        {
            for (var t = 0; t < threadsPerStore; t++)
            {
                var store = stores[s];
                var prefix = $"s{s}-t{t}-";
                tasks.Add(Task.Run(async () =>
                {
                    for (var i = 0; i < savesPerThread; i++)
                    {
                        await store.SaveAsync(new ModelMetadata(prefix + i), Bytes(prefix + i));
                        if (i == 2)
                        {
                            await store.SetActiveVersionAsync(prefix + i);
                        }
                    }
                }));
            }
        }

        await Task.WhenAll(tasks);

        var reader = Store();
        var listed = await reader.ListAsync();
        Assert.Equal(stores.Length * threadsPerStore * savesPerThread, listed.Count);
        Assert.Equal(listed.Count, listed.Select(m => m.Version).Distinct().Count());
        foreach (var m in listed)
        {
            Assert.Equal(m.Version, Text(await reader.LoadAsync(m.Version)));
        }

        Assert.EndsWith("-2", await reader.GetActiveVersionAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VersionManager_ActivateRollbackAliasAndRetention_SurviveARestart()
    {
        if (Unavailable())
        {
            return;
        }

        var options = new ModelVersioningOptions { RetainCount = 2, ApplyRetentionOnSave = false };
        var ids = new List<string>();
        using (var manager = new ModelVersionManager(Store(), options))
        {
            for (var i = 0; i < 6; i++)
            {
                ids.Add((await manager.SaveAsync(Bytes("model " + i), new ModelSaveRequest { TrainingRows = i })).Version);
            }

            await manager.ActivateAsync(ids[0], "first");
            await manager.ActivateAsync(ids[1], "second");
            await manager.RollbackAsync(reason: "bad second");
            await manager.SetAliasAsync("canary", ids[2]);

            var deleted = await manager.ApplyRetentionAsync();

            Assert.Contains(ids[3], deleted);
            Assert.DoesNotContain(ids[0], deleted); // active
            Assert.DoesNotContain(ids[2], deleted); // aliased
            Assert.DoesNotContain(ids[4], deleted); // newest two
            Assert.DoesNotContain(ids[5], deleted);
        }

        using var restarted = new ModelVersionManager(Store(), options);
        Assert.Equal(ids[0], await restarted.GetActiveVersionAsync());
        Assert.Equal(ids[2], await restarted.ResolveAsync("canary"));
        Assert.Equal(ids[0], await restarted.ResolveAsync(ModelAliases.Champion));
        Assert.Equal("model 2", Text(await restarted.LoadAsync("canary")));
        foreach (var m in await restarted.ListAsync())
        {
            Assert.Equal("model " + ids.IndexOf(m.Version), Text(await restarted.LoadAsync(m.Version)));
        }

        Assert.DoesNotContain(ids[3], (await restarted.ListAsync()).Select(m => m.Version));
    }

    [Fact]
    public async Task Operations_CancelledBeforeStart_ChangeNothing()
    {
        if (Unavailable())
        {
            return;
        }

        var sut = Store();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sut.SaveAsync(new ModelMetadata("v2"), Bytes("two"), cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sut.SetActiveVersionAsync("v1", cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sut.UpdateAsync((_, _) => Task.FromResult<ModelStoreChange?>(new ModelStoreChange { ActivateVersion = "v1" }), cts.Token));

        Assert.Equal(["v1"], (await Store().ListAsync()).Select(m => m.Version));
        Assert.Null(await Store().GetActiveVersionAsync());
    }

    [Fact]
    public async Task CorruptedVersion_LoadAndActivationRefused_ActiveKeepsServing_VersionKept()
    {
        if (Unavailable())
        {
            return;
        }

        var sut = Store();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        await sut.SaveAsync(new ModelMetadata("v2"), Bytes("two, soon damaged"));
        await sut.SetActiveVersionAsync("v1");
        if (!Corrupt("v2"))
        {
            return; // the store keeps no bytes that can be damaged from outside (in memory)
        }

        var load = await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => Store().LoadAsync("v2"));
        await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => sut.SetActiveVersionAsync("v2"));
        await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => sut.UpdateAsync((s, _) => Task.FromResult<ModelStoreChange?>(new ModelStoreChange
        {
            UpdatedVersions = [s.Get("v1") with { Aliases = ["old"] }],
            ActivateVersion = "v2",
        })));

        Assert.False(string.IsNullOrEmpty(load.FilePath));
        var restarted = Store();
        Assert.Equal("v1", await restarted.GetActiveVersionAsync());
        Assert.Equal("one", Text(await restarted.LoadAsync("v1")));
        Assert.Empty((await restarted.LoadAsync("v1")).Metadata.Aliases);
        Assert.Equal(["v1", "v2"], (await restarted.ListAsync()).Select(m => m.Version));
    }

    /// <summary>
    /// Whether the store's server cannot be reached here, so the test must return without running (it says so loudly).
    /// Only stores that need a server (PostgreSQL) override it; under CI they throw instead, so CI never skips.
    /// </summary>
    protected virtual bool Unavailable([CallerMemberName] string test = "") => false;

    /// <summary>Creates a store over this test's data: a new, independent instance each call where the store allows it.</summary>
    protected abstract IModelStore CreateStore();

    /// <summary>Damages the stored content of <paramref name="version"/> behind the store's back (one altered byte).</summary>
    /// <returns><see langword="false"/> if the store keeps nothing that can be damaged from outside.</returns>
    protected abstract bool Corrupt(string version);

    protected static ReadOnlyMemory<byte> Bytes(string s) => Encoding.UTF8.GetBytes(s);

    protected static string Text(StoredModel model) => Encoding.UTF8.GetString(model.Content.Span);

    private IModelStore Store()
    {
        var store = CreateStore();
        _stores.Add(store);
        return store;
    }
}
