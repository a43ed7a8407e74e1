using PatternQuality.Feedback;
using PatternQuality.Storage;
using PatternQuality.Storage.Sqlite;

namespace PatternQuality.Tests.Storage;

/// <summary>What only the SQLite prediction log has: the pq_predictions table beside the model and feedback tables, added to an older file.</summary>
public sealed class SqlitePredictionLogTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string DbPath => _temp.Combine("patternquality.db");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task VersionTwoFile_GainsThePredictionTable_ModelsAndFeedbackKept_QueryableWithSql()
    {
        using (var models = new SqliteModelStore(new SqliteModelStoreOptions { DatabasePath = DbPath }))
        {
            await models.SaveAsync(new ModelMetadata("v1"), new byte[] { 1, 2, 3 });
        }

        // What a database written before the prediction log existed looks like.
        SqliteTestDatabase.Execute(DbPath, "DROP TABLE pq_predictions; PRAGMA user_version = 2;");
        using var sut = new SqlitePredictionLog(new SqliteModelStoreOptions { DatabasePath = DbPath });

        await sut.AppendAsync([
            new PredictionRecord("a", "v1", 0.9f, true, DateTimeOffset.UtcNow),
            new PredictionRecord("b", "v1", 0.2f, false, DateTimeOffset.UtcNow),
            new PredictionRecord("c", "v1", 0.6f, true, DateTimeOffset.UtcNow),
        ]);
        await sut.ResolveAsync([new PredictionOutcome("a", FeedbackOutcome.Approved), new PredictionOutcome("b", FeedbackOutcome.Approved)]);

        Assert.Equal(3L, SqliteTestDatabase.Scalar(DbPath, "PRAGMA user_version;"));
        Assert.Equal(0.5, SqliteTestDatabase.Scalar(DbPath, "SELECT avg(was_correct) FROM pq_predictions WHERE was_correct IS NOT NULL;"));
        Assert.Equal(1L, SqliteTestDatabase.Scalar(DbPath, "SELECT count(*) FROM pq_predictions WHERE was_correct IS NULL;"));
        using var reopened = new SqliteModelStore(new SqliteModelStoreOptions { DatabasePath = DbPath });
        Assert.Equal(new byte[] { 1, 2, 3 }, (await reopened.LoadAsync("v1")).Content.ToArray());
    }

    [Fact]
    public async Task MissingFile_ReadsEmptyAndCreatesNothing_AnotherApplicationsDatabaseIsRefused()
    {
        using var sut = new SqlitePredictionLog(new SqliteModelStoreOptions { DatabasePath = DbPath });

        Assert.Empty(await sut.ReadAsync("a"));
        Assert.False(File.Exists(DbPath));

        SqliteTestDatabase.Execute(DbPath, "CREATE TABLE theirs (x INTEGER);");
        using var other = new SqlitePredictionLog(new SqliteModelStoreOptions { DatabasePath = DbPath });
        await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => other.AppendAsync([new PredictionRecord("a", "v1", 0.5f, true, DateTimeOffset.UtcNow)]));
        Assert.Equal(0L, SqliteTestDatabase.Scalar(DbPath, "SELECT count(*) FROM sqlite_master WHERE name = 'pq_predictions';"));
    }

    [Fact]
    public async Task Disposed_Throws()
    {
        var sut = new SqlitePredictionLog(new SqliteModelStoreOptions { DatabasePath = DbPath });
        sut.Dispose();
        sut.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => sut.AppendAsync([]));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => sut.ResolveAsync([]));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => sut.ReadAsync("a"));
    }
}
