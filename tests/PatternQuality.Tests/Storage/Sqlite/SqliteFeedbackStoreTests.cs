using PatternQuality.Feedback;
using PatternQuality.Storage;
using PatternQuality.Storage.Sqlite;
using PatternQuality.Storage.Sqlite.Internal;
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
        Assert.Equal(3L, SqliteTestDatabase.Scalar(DbPath, "PRAGMA user_version;"));
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

    [Fact]
    public async Task ConcurrentBatches_WhileTheWriterIsBusy_CommitTogetherEachWithItsOwnResult()
    {
        using var sut = Create();
        await sut.AppendAsync(OfferStream.Generate(1, seed: 1)); // creates the file and the table
        var writers = SqliteWriters.For(sut.DatabasePath);

        // Hold the process's writer lock (as a model save or another batch would), queue 16 batches of 100, release.
        await writers.WaitAsync();
        var appends = Enumerable.Range(0, 16)
            .Select(b => Task.Run(() => sut.AppendAsync(OfferStream.Generate(100, seed: b, firstSequence: 1 + (b * 100)))))
            .ToArray();
        while (sut.PendingCount < 16)
        {
            await Task.Delay(10);
        }

        var before = sut.CommitCount;
        writers.Release();
        var results = await Task.WhenAll(appends);

        Assert.Equal(1, sut.CommitCount - before);
        Assert.All(results, r => Assert.Equal(100, r.Accepted.Count));
        Assert.All(results, r => Assert.Equal(Enumerable.Range((int)r.Accepted[0].Sequence, 100).Select(i => (long)i), r.Accepted.Select(a => a.Sequence)));
        Assert.Equal(Enumerable.Range(2, 1_600).Select(i => (long)i), results.SelectMany(r => r.Accepted).Select(a => a.Sequence).Order());
        Assert.Equal(1_601, await sut.CountAsync());
    }

    [Fact]
    public async Task ConcurrentBatches_SharingIds_StoreEachIdOnceAndCountTheRestAsDuplicates()
    {
        using var sut = Create();
        var writers = SqliteWriters.For(sut.DatabasePath);
        await writers.WaitAsync();
        var appends = Enumerable.Range(0, 4).Select(_ => Task.Run(() => sut.AppendAsync(OfferStream.Generate(50, seed: 3)))).ToArray();
        while (sut.PendingCount < 4)
        {
            await Task.Delay(10);
        }

        writers.Release();
        var results = await Task.WhenAll(appends);

        Assert.Equal(50, results.Sum(r => r.Accepted.Count));
        Assert.Equal(150, results.Sum(r => r.Duplicates));
        Assert.Equal(50, await sut.CountAsync());
    }

    [Fact]
    public async Task BatchCancelledWhileWaitingForTheWriter_IsNotStored()
    {
        using var sut = Create();
        var writers = SqliteWriters.For(sut.DatabasePath);
        await writers.WaitAsync();
        using var cts = new CancellationTokenSource();
        var append = sut.AppendAsync(OfferStream.Generate(30, seed: 2), cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => append);
        writers.Release();

        Assert.Equal(0, sut.PendingCount);
        Assert.Equal(0, await sut.CountAsync());
        Assert.Equal(30, (await sut.AppendAsync(OfferStream.Generate(30, seed: 2))).Accepted.Count);
    }

    [Fact]
    public async Task BatchTimedOutWaitingForTheWriter_IsNotStoredAndSaysSo()
    {
        using var sut = Create(TimeSpan.FromMilliseconds(200));
        var writers = SqliteWriters.For(sut.DatabasePath);
        await writers.WaitAsync();
        try
        {
            var ex = await Assert.ThrowsAsync<ModelStoreAccessException>(() => sut.AppendAsync(OfferStream.Generate(10, seed: 6)));
            Assert.Contains("Timed out", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            writers.Release();
        }

        Assert.Equal(0, sut.PendingCount);
        Assert.Equal(0, await sut.CountAsync());
    }

    private SqliteFeedbackStore<Offer> Create(TimeSpan? lockTimeout = null) =>
        new(new SqliteModelStoreOptions { DatabasePath = DbPath, LockTimeout = lockTimeout ?? TimeSpan.FromSeconds(30) });
}
