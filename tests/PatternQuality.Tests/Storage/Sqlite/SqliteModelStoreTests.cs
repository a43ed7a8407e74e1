using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PatternQuality.Feedback;
using PatternQuality.Storage;
using PatternQuality.Storage.Sqlite;
using PatternQuality.Tests.TestUtils;

namespace PatternQuality.Tests.Storage;

/// <summary>What only the SQLite store has: its file, its locks, and the ways a database file goes wrong.</summary>
public sealed class SqliteModelStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly List<SqliteModelStore> _stores = [];

    private string DbPath => _temp.Combine("models.db");

    public void Dispose()
    {
        _stores.ForEach(s => s.Dispose());
        _temp.Dispose();
    }

    [Fact]
    public async Task SaveAsync_CreatesAWalDatabaseMarkedAsAModelStore()
    {
        await CreateSut().SaveAsync(new ModelMetadata("v1"), Bytes("one"));

        Assert.Equal("wal", SqliteTestDatabase.Scalar(DbPath, "PRAGMA journal_mode;"));
        Assert.Equal(0x50514D53L, SqliteTestDatabase.Scalar(DbPath, "PRAGMA application_id;"));
        Assert.Equal(3L, SqliteTestDatabase.Scalar(DbPath, "PRAGMA user_version;"));
        Assert.Equal(3L, SqliteTestDatabase.Scalar(DbPath, "SELECT length FROM pq_models WHERE version = 'v1';"));
        Assert.Equal($"{DbPath}#v1", (await CreateSut().LoadAsync("v1")).Location);
    }

    [Fact]
    public async Task Reads_MissingFile_AreEmptyAndCreateNothing()
    {
        var sut = CreateSut();

        Assert.Empty(await sut.ListAsync());
        Assert.Null(await sut.GetActiveVersionAsync());
        await Assert.ThrowsAsync<ModelNotFoundException>(() => sut.LoadAsync("v1"));
        Assert.False(File.Exists(DbPath));
    }

    [Fact]
    public async Task LoadAsync_ContentTruncatedBehindTheStoresBack_ThrowsCorruptedNamingFileAndVersion()
    {
        var sut = CreateSut();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes(new string('x', 1000)));
        SqliteTestDatabase.Execute(DbPath, "UPDATE pq_models SET content = substr(content, 1, 500) WHERE version = 'v1';");

        var ex = await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => sut.LoadAsync("v1"));

        Assert.Equal(DbPath, ex.FilePath);
        Assert.Contains("'v1'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAsync_MetadataEditedIntoNonsense_ThrowsCorruptedNamingVersion()
    {
        var sut = CreateSut();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        SqliteTestDatabase.Execute(DbPath, "UPDATE pq_models SET metrics = '{not json' WHERE version = 'v1';");

        var ex = await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => sut.ListAsync());

        Assert.Contains("model version 'v1'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyOperation_FileIsNotADatabase_ThrowsCorruptedAndLeavesTheFileAlone()
    {
        File.WriteAllText(DbPath, "this is somebody's notes, not a database; " + new string('x', 4096));
        var before = File.ReadAllBytes(DbPath);

        var read = await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => CreateSut().ListAsync());
        await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => CreateSut().SaveAsync(new ModelMetadata("v1"), Bytes("one")));

        Assert.Equal(DbPath, read.FilePath);
        Assert.Equal(before, File.ReadAllBytes(DbPath));
    }

    [Fact]
    public async Task AnyOperation_AnotherApplicationsDatabase_IsRefusedUntouched()
    {
        SqliteTestDatabase.Execute(DbPath, "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ada');");

        var ex = await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => CreateSut().SaveAsync(new ModelMetadata("v1"), Bytes("one")));

        Assert.Contains("another application", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0L, SqliteTestDatabase.Scalar(DbPath, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'pq_%';"));
    }

    [Fact]
    public async Task AnyOperation_NewerSchema_IsRefusedNamingTheUpgrade()
    {
        await CreateSut().SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        SqliteTestDatabase.Execute(DbPath, "PRAGMA user_version = 7;");

        var ex = await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => CreateSut().ListAsync());

        Assert.Contains("schema version is 7", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveAsync_FolderMissingOrPathIsADirectory_ThrowsAccessNamingPath()
    {
        var missing = _temp.Combine("no-such-folder", "models.db");
        var ex = await Assert.ThrowsAsync<ModelStoreAccessException>(() => CreateSut(missing).SaveAsync(new ModelMetadata("v1"), Bytes("one")));
        var dir = await Assert.ThrowsAsync<ModelStoreAccessException>(() => CreateSut(_temp.Path).ListAsync());

        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
        Assert.Contains("is a directory", dir.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetActiveVersionAsync_Twice_RecordsActivationHistory()
    {
        var time = new FakeClockWithRealTimers(new DateTimeOffset(2026, 11, 23, 19, 0, 0, TimeSpan.Zero));
        var sut = CreateSut(time: time);
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        await sut.SaveAsync(new ModelMetadata("v2"), Bytes("two"));

        await sut.SetActiveVersionAsync("v1");
        time.Advance(TimeSpan.FromMinutes(5));
        await sut.SetActiveVersionAsync("v2");

        Assert.Equal([("v1", null, time.Start), ("v2", "v1", time.Start.AddMinutes(5))], await CreateSut().GetActivationHistoryAsync());
    }

    [Fact]
    public async Task SaveAsync_WriteLockHeldByAnotherProcess_WaitsThenTimesOutNamingFile()
    {
        var sut = CreateSut(lockTimeout: TimeSpan.FromMilliseconds(300));
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        var holder = await SqliteTestDatabase.StartHolderAsync(DbPath, "BEGIN IMMEDIATE;");
        if (holder is null)
        {
            return;
        }

        try
        {
            var ex = await Assert.ThrowsAsync<ModelStoreAccessException>(() => sut.SaveAsync(new ModelMetadata("v2"), Bytes("two")));

            Assert.Contains(DbPath, ex.Message, StringComparison.Ordinal);
            Assert.Contains("Timed out", ex.Message, StringComparison.Ordinal);

            // WAL: readers are not held up by the writer in the other process.
            Assert.Equal(["v1"], (await sut.ListAsync()).Select(m => m.Version));
            Assert.Equal("one", Encoding.UTF8.GetString((await sut.LoadAsync("v1")).Content.Span));
        }
        finally
        {
            await SqliteTestDatabase.KillAsync(holder);
        }

        await sut.SaveAsync(new ModelMetadata("v2"), Bytes("two"));
        Assert.Equal(2, (await sut.ListAsync()).Count);
    }

    [Fact]
    public async Task UpdateAsync_ReadModifyWritesInterleavedWithAnotherProcess_NoneIsLost()
    {
        var sut = CreateSut();
        await sut.SaveAsync(new ModelMetadata("v1") { Properties = new Dictionary<string, string> { ["count"] = "0" } }, Bytes("one"));
        const int theirs = 150;
        const int ours = 30;

        // The other process increments the same counter in its own write transactions, each waiting for the lock
        // (.timeout) as ours wait for its; our increments read, yield, then write, so without a lock spanning both
        // processes one side's increments would be lost.
        var script = ".timeout 10000\n" + string.Concat(Enumerable.Repeat(
            "BEGIN IMMEDIATE; UPDATE pq_models SET properties = json_set(properties, '$.count', CAST(CAST(json_extract(properties, '$.count') AS INTEGER) + 1 AS TEXT)) WHERE version = 'v1'; COMMIT;\n", theirs));
        var other = await SqliteTestDatabase.StartHolderAsync(DbPath, "SELECT 'started';");
        if (other is null)
        {
            return;
        }

        try
        {
            await other.StandardInput.WriteAsync(script);
            await other.StandardInput.FlushAsync();
            other.StandardInput.Close();
            for (var i = 0; i < ours; i++)
            {
                await sut.UpdateAsync(async (snapshot, _) =>
                {
                    var m = snapshot.Get("v1");
                    var count = int.Parse(m.Properties["count"], System.Globalization.CultureInfo.InvariantCulture);
                    await Task.Delay(1);
                    return new ModelStoreChange { UpdatedVersions = [m with { Properties = new Dictionary<string, string> { ["count"] = (count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) } }] };
                });
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await other.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, other.ExitCode);
        }
        finally
        {
            if (!other.HasExited)
            {
                await SqliteTestDatabase.KillAsync(other);
            }
        }

        Assert.Equal((theirs + ours).ToString(System.Globalization.CultureInfo.InvariantCulture), (await CreateSut().LoadAsync("v1")).Metadata.Properties["count"]);
    }

    [Fact]
    public async Task WriterProcessKilledMidTransaction_StoreKeepsItsCommittedStateAndStaysWritable()
    {
        var sut = CreateSut();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        await sut.SetActiveVersionAsync("v1");

        // A real second process writes a 24 MB version (larger than SQLite's page cache, so its pages spill into the
        // WAL file) and switches the active version to it, then is SIGKILLed before it commits.
        var writer = await SqliteTestDatabase.StartHolderAsync(DbPath, """
            BEGIN IMMEDIATE;
            INSERT INTO pq_models (version, created_at, watermark_sequence, training_rows, metrics, properties, aliases, pinned, length, sha256, saved_at, content)
              VALUES ('crashed', '2026-11-28T00:00:00.0000000+00:00', -1, 0, '{}', '{}', '[]', 0, 25165824, 'x', 'now', zeroblob(25165824));
            UPDATE pq_store SET active_version = 'crashed' WHERE id = 1;
            """);
        if (writer is null)
        {
            return;
        }

        Assert.True(new FileInfo(DbPath + "-wal").Length > 1_000_000, "the killed writer's uncommitted pages should be in the WAL");
        await SqliteTestDatabase.KillAsync(writer);

        var restarted = CreateSut(lockTimeout: TimeSpan.FromSeconds(5));
        Assert.Equal(["v1"], (await restarted.ListAsync()).Select(m => m.Version));
        Assert.Equal("v1", await restarted.GetActiveVersionAsync());
        Assert.Equal("one", Encoding.UTF8.GetString((await restarted.LoadAsync("v1")).Content.Span));

        // The dead process's lock went with it: the next writer does not wait for a timeout.
        await restarted.SaveAsync(new ModelMetadata("v2"), Bytes("two"));
        await restarted.SetActiveVersionAsync("v2");
        Assert.Equal("v2", await CreateSut().GetActiveVersionAsync());
        Assert.Equal("ok", SqliteTestDatabase.Scalar(DbPath, "PRAGMA integrity_check;"));
    }

    [Fact]
    public async Task UseSqlite_Configured_OneValidatedOptionsForBothStores_InvalidOptionsFailTheHostStart()
    {
        var services = new ServiceCollection();
        services.AddPatternQuality<string>().UseSqlite(o =>
        {
            o.DatabasePath = DbPath;
            o.LockTimeout = TimeSpan.FromSeconds(3);
        });
        await using (var provider = services.BuildServiceProvider())
        {
            var store = Assert.IsType<SqliteModelStore>(provider.GetRequiredService<IModelStore>());
            Assert.Same(store, provider.GetRequiredService<SqliteModelStore>());
            var feedback = Assert.IsType<SqliteFeedbackStore<string>>(provider.GetRequiredService<IFeedbackStore<string>>());
            Assert.Equal(DbPath, feedback.DatabasePath);
            Assert.Equal(TimeSpan.FromSeconds(3), provider.GetRequiredService<IOptions<SqliteModelStoreOptions>>().Value.LockTimeout);
        }

        // The Microsoft.Extensions way: every problem at once, when the host starts (ValidateOnStart).
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddPatternQuality<string>().UseSqlite(o =>
        {
            o.DatabasePath = ":memory:";
            o.LockTimeout = TimeSpan.FromHours(1);
        });
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Equal(2, ex.Failures.Count());
        Assert.Contains(ex.Failures, f => f.Contains("DatabasePath", StringComparison.Ordinal) && f.Contains(":memory:", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("LockTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public void UseSqliteModelStore_RegistersTheStoreAndValidatesEarly()
    {
        var services = new ServiceCollection();
        services.AddPatternQuality<string>().UseModelStore(new InMemoryModelStore()).UseSqliteModelStore(DbPath);

        using (var provider = services.BuildServiceProvider())
        {
            var store = Assert.IsType<SqliteModelStore>(provider.GetRequiredService<IModelStore>());
            Assert.Equal(DbPath, store.DatabasePath);
        }

        var ex = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddPatternQuality<string>().UseSqliteModelStore(":memory:"));
        Assert.Contains("SqliteModelStoreOptions.DatabasePath", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddPatternQuality<string>().UseSqliteModelStore((Action<SqliteModelStoreOptions>)null!));
    }

    [Theory]
    [InlineData("", 1, "SqliteModelStoreOptions.DatabasePath")]
    [InlineData(":memory:", 1, "must be set to a file path")]
    [InlineData("file:x.db?mode=ro", 1, "must be set to a file path")]
    [InlineData("x.db", -1, "SqliteModelStoreOptions.LockTimeout")]
    [InlineData("x.db", 601, "SqliteModelStoreOptions.LockTimeout")]
    public void Constructor_InvalidOptions_ThrowsNamingOption(string path, int timeoutSeconds, string expected)
    {
        var options = new SqliteModelStoreOptions { DatabasePath = path, LockTimeout = TimeSpan.FromSeconds(timeoutSeconds) };

        var ex = Assert.Throws<OptionsValidationException>(() => new SqliteModelStore(options));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal(ex.Message, Assert.Throws<OptionsValidationException>(() => new SqliteFeedbackStore<string>(options)).Message);
        Assert.Equal(ex.Message, Assert.Throws<OptionsValidationException>(() => new SqlitePredictionLog(options)).Message);
        Assert.Throws<ArgumentNullException>(() => new SqliteModelStore(null!));
    }

    [Fact]
    public async Task SaveAsync_NullPropertyValue_ThrowsBeforeWritingAnything()
    {
        var sut = CreateSut();
        var metadata = new ModelMetadata("v1") { Properties = new Dictionary<string, string> { ["k"] = null! } };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => sut.SaveAsync(metadata, Bytes("one")));

        Assert.Contains("'k'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await sut.ListAsync());
    }

    private static ReadOnlyMemory<byte> Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private SqliteModelStore CreateSut(string? path = null, TimeSpan? lockTimeout = null, TimeProvider? time = null)
    {
        var store = new SqliteModelStore(new SqliteModelStoreOptions { DatabasePath = path ?? DbPath, LockTimeout = lockTimeout ?? TimeSpan.FromSeconds(30) }, time);
        _stores.Add(store);
        return store;
    }
}
