using PatternQuality.Feedback;
using PatternQuality.Storage;
using PatternQuality.Storage.Sqlite;
using PatternQuality.Tests.Online;

namespace PatternQuality.Tests.Storage;

/// <summary>What only the SQLite feedback store has: its table beside the models, its schema upgrade, its lock.</summary>
public sealed class SqliteFeedbackStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string DbPath => _temp.Combine("patternquality.db");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task OneFile_HoldsModelsAndFeedback_AndAVersionOneFileGainsTheFeedbackTable()
    {
        using (var models = new SqliteModelStore(new SqliteModelStoreOptions { DatabasePath = DbPath }))
        {
            await models.SaveAsync(new ModelMetadata("v1"), new byte[] { 1, 2, 3 });
        }

        // What a database written before the feedback table existed looks like.
        SqliteTestDatabase.Execute(DbPath, "DROP TABLE pq_feedback; PRAGMA user_version = 1;");
        using var sut = Create();

        var result = await sut.AppendAsync(OfferStream.Generate(20, seed: 5));

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), result.Accepted.Select(r => r.Sequence));
        Assert.Equal(2L, SqliteTestDatabase.Scalar(DbPath, "PRAGMA user_version;"));
        Assert.Equal(20L, SqliteTestDatabase.Scalar(DbPath, "SELECT count(*) FROM pq_feedback;"));
        using var reopened = new SqliteModelStore(new SqliteModelStoreOptions { DatabasePath = DbPath });
        Assert.Equal(new byte[] { 1, 2, 3 }, (await reopened.LoadAsync("v1")).Content.ToArray());
    }

    [Fact]
    public async Task Reads_MissingFile_AreEmptyAndCreateNothing()
    {
        using var sut = Create();

        Assert.Equal(0, await sut.CountAsync());
        await foreach (var _ in sut.ReadAsync(FeedbackWatermark.Start))
        {
            Assert.Fail("a missing file holds no feedback");
        }

        Assert.False(File.Exists(DbPath));
    }

    [Fact]
    public async Task AnotherApplicationsDatabase_IsRefusedUntouched()
    {
        SqliteTestDatabase.Execute(DbPath, "CREATE TABLE orders (id INTEGER PRIMARY KEY);");
        using var sut = Create();

        var ex = await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => sut.AppendAsync(OfferStream.Generate(3, seed: 1)));

        Assert.Contains("another application", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0L, SqliteTestDatabase.Scalar(DbPath, "SELECT count(*) FROM sqlite_master WHERE name = 'pq_feedback';"));
    }

    [Fact]
    public async Task StoredPatternThatIsNotJson_ReadThrowsCorruptedNamingTheRecord()
    {
        using var sut = Create();
        await sut.AppendAsync(OfferStream.Generate(3, seed: 2));
        SqliteTestDatabase.Execute(DbPath, "UPDATE pq_feedback SET pattern = '{not json' WHERE sequence = 2;");

        var ex = await Assert.ThrowsAsync<ModelStoreCorruptedException>(async () =>
        {
            await foreach (var _ in sut.ReadAsync(FeedbackWatermark.Start))
            {
            }
        });

        Assert.Contains("sequence 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppendAsync_WriteLockHeldByAnotherProcess_TimesOutStoringNothingWhileReadsGoOn()
    {
        using var sut = Create(TimeSpan.FromMilliseconds(300));
        await sut.AppendAsync(OfferStream.Generate(10, seed: 3));
        var holder = await SqliteTestDatabase.StartHolderAsync(DbPath, "BEGIN IMMEDIATE;");
        if (holder is null)
        {
            return;
        }

        try
        {
            var ex = await Assert.ThrowsAsync<ModelStoreAccessException>(() => sut.AppendAsync(OfferStream.Generate(20, seed: 4, firstSequence: 10)));

            Assert.Contains("Timed out", ex.Message, StringComparison.Ordinal);
            Assert.Contains(DbPath, ex.Message, StringComparison.Ordinal);
            Assert.Equal(10, await sut.CountAsync());
        }
        finally
        {
            await SqliteTestDatabase.KillAsync(holder);
        }

        // The dead holder's lock is gone: the retried batch goes in whole.
        Assert.Equal(20, (await sut.AppendAsync(OfferStream.Generate(20, seed: 4, firstSequence: 10))).Accepted.Count);
        Assert.Equal(30, await sut.CountAsync());
    }

    private SqliteFeedbackStore<Offer> Create(TimeSpan? lockTimeout = null) =>
        new(new SqliteModelStoreOptions { DatabasePath = DbPath, LockTimeout = lockTimeout ?? TimeSpan.FromSeconds(30) });
}
