using PatternQuality.Feedback;
using PatternQuality.Storage;
using PatternQuality.Storage.PostgreSql;

namespace PatternQuality.Tests.Storage.PostgreSql;

/// <summary>What only the PostgreSQL prediction log has: seed 003's model_predictions (kept, rows and all), its columns, model_id, and retention still free to delete a version that served.</summary>
public sealed class PostgreSqlPredictionLogTests : IDisposable
{
    private const string SeedValue = "{\"level\": \"high\"}";
    private readonly string _schema = PostgreSqlTestServer.NewSchema();

    public void Dispose() => PostgreSqlTestServer.DropSchema(_schema);

    [Fact]
    public async Task SeedTables_AreMigrated_SeedRowKept_PredictionsLandInTheSeedColumns_RetentionStillDeletesAServingVersion()
    {
        if (PostgreSqlTestServer.Skip(nameof(SeedTables_AreMigrated_SeedRowKept_PredictionsLandInTheSeedColumns_RetentionStillDeletesAServingVersion)))
        {
            return;
        }

        // Seed 003 as its own code would have created it, with one prediction of its own.
        PostgreSqlTestServer.Execute($"""
            CREATE SCHEMA "{_schema}";
            CREATE TABLE "{_schema}".ml_models (
                model_id UUID PRIMARY KEY DEFAULT gen_random_uuid(), model_type VARCHAR(50) NOT NULL, version VARCHAR(20) NOT NULL,
                model_data BYTEA, accuracy_score DECIMAL(5,4), training_samples INT, trained_at TIMESTAMP DEFAULT NOW(), is_active BOOLEAN DEFAULT false);
            CREATE TABLE "{_schema}".model_predictions (
                prediction_id UUID PRIMARY KEY DEFAULT gen_random_uuid(), model_id UUID REFERENCES "{_schema}".ml_models(model_id),
                user_id VARCHAR(255) NOT NULL, prediction_type VARCHAR(50) NOT NULL, prediction_value JSONB NOT NULL,
                confidence_score DECIMAL(5,4), was_correct BOOLEAN, created_at TIMESTAMP DEFAULT NOW());
            INSERT INTO "{_schema}".model_predictions (user_id, prediction_type, prediction_value, confidence_score) VALUES ('u1', 'energy', '{SeedValue}', 0.9);
            """);
        var options = new PostgreSqlModelStoreOptions { ConnectionString = PostgreSqlTestServer.ConnectionString!, Schema = _schema };
        await using var store = new PostgreSqlModelStore(options);
        await store.SaveAsync(new ModelMetadata("v-saved"), new byte[] { 1, 2, 3 });
        await using var sut = new PostgreSqlPredictionLog(options);
        var at = new DateTimeOffset(2026, 11, 29, 6, 0, 0, TimeSpan.FromHours(1));

        await sut.AppendAsync([
            new PredictionRecord("offer-1", "v-saved", 0.87654f, true, at) { UserId = "u-9" },
            new PredictionRecord("offer-2", "v-in-memory-update", 0.12345f, false, at),
        ]);
        Assert.Equal(2, await sut.ResolveAsync([new PredictionOutcome("offer-1", FeedbackOutcome.Rejected), new PredictionOutcome("offer-2", FeedbackOutcome.Rejected)]));

        var table = $"\"{_schema}\".model_predictions";
        Assert.Equal(3L, PostgreSqlTestServer.Scalar($"SELECT count(*) FROM {table};"));
        Assert.Equal("energy", PostgreSqlTestServer.Scalar($"SELECT prediction_type FROM {table} WHERE pattern_id IS NULL;"));
        Assert.Equal(0.8765m, PostgreSqlTestServer.Scalar($"SELECT confidence_score FROM {table} WHERE pattern_id = 'offer-1';"));
        Assert.Equal(false, PostgreSqlTestServer.Scalar($"SELECT was_correct FROM {table} WHERE pattern_id = 'offer-1';"));
        Assert.Equal(true, PostgreSqlTestServer.Scalar($"SELECT was_correct FROM {table} WHERE pattern_id = 'offer-2';"));
        Assert.Equal("u-9", PostgreSqlTestServer.Scalar($"SELECT user_id FROM {table} WHERE pattern_id = 'offer-1';"));
        Assert.Equal("", PostgreSqlTestServer.Scalar($"SELECT user_id FROM {table} WHERE pattern_id = 'offer-2';"));
        Assert.Equal(PostgreSqlModelStoreOptions.DefaultModelType, PostgreSqlTestServer.Scalar($"SELECT prediction_type FROM {table} WHERE pattern_id = 'offer-1';"));
        Assert.Equal(true, PostgreSqlTestServer.Scalar($"SELECT (prediction_value->>'approved')::boolean FROM {table} WHERE pattern_id = 'offer-1';"));
        Assert.Equal(new DateTime(2026, 11, 29, 5, 0, 0), PostgreSqlTestServer.Scalar($"SELECT created_at FROM {table} WHERE pattern_id = 'offer-1';"));
        Assert.Equal(true, PostgreSqlTestServer.Scalar($"SELECT model_id = (SELECT model_id FROM \"{_schema}\".ml_models WHERE version = 'v-saved') FROM {table} WHERE pattern_id = 'offer-1';"));
        Assert.Equal(DBNull.Value, PostgreSqlTestServer.Scalar($"SELECT model_id FROM {table} WHERE pattern_id = 'offer-2';"));
        Assert.Equal(0.87654f, Assert.Single(await sut.ReadAsync("offer-1")).Score);
        Assert.Contains("ON DELETE SET NULL", (string)PostgreSqlTestServer.Scalar($"SELECT description FROM \"{_schema}\".pq_schema_migrations WHERE version = 3;")!, StringComparison.Ordinal);

        // The seed's foreign key would forbid deleting a version that served; migrated, the prediction keeps its version id.
        Assert.True(await store.DeleteAsync("v-saved"));
        Assert.Equal(DBNull.Value, PostgreSqlTestServer.Scalar($"SELECT model_id FROM {table} WHERE pattern_id = 'offer-1';"));
        Assert.Equal("v-saved", Assert.Single(await sut.ReadAsync("offer-1")).ModelVersion);
    }

    [Fact]
    public async Task ModelTypes_ShareTheTable_AndNeverResolveEachOthersPredictions()
    {
        if (PostgreSqlTestServer.Skip(nameof(ModelTypes_ShareTheTable_AndNeverResolveEachOthersPredictions)))
        {
            return;
        }

        await using var ours = new PostgreSqlPredictionLog(new PostgreSqlModelStoreOptions { ConnectionString = PostgreSqlTestServer.ConnectionString!, Schema = _schema, ModelType = "ours" });
        await using var theirs = new PostgreSqlPredictionLog(new PostgreSqlModelStoreOptions { ConnectionString = PostgreSqlTestServer.ConnectionString!, Schema = _schema, ModelType = "theirs" });
        Assert.Empty(await ours.ReadAsync("p"));
        Assert.Equal(0, await ours.ResolveAsync([new PredictionOutcome("p", FeedbackOutcome.Approved)]));
        Assert.Equal(true, PostgreSqlTestServer.Scalar($"SELECT to_regclass('\"{_schema}\".model_predictions') IS NULL;"));

        await ours.AppendAsync([new PredictionRecord("p", "v1", 0.9f, true, DateTimeOffset.UtcNow)]);
        await theirs.AppendAsync([new PredictionRecord("p", "v1", 0.9f, true, DateTimeOffset.UtcNow)]);

        Assert.Equal(1, await theirs.ResolveAsync([new PredictionOutcome("p", FeedbackOutcome.Approved)]));
        Assert.Null(Assert.Single(await ours.ReadAsync("p")).WasCorrect);
        Assert.True(Assert.Single(await theirs.ReadAsync("p")).WasCorrect);
    }

    [Fact]
    public async Task UnreachableServer_FailsNamingTheLogNeverThePassword_AndLongUserIdsAreRefused()
    {
        await using var sut = new PostgreSqlPredictionLog(new PostgreSqlModelStoreOptions { ConnectionString = "Host=127.0.0.1;Port=1;Username=pq;Password=s3cret;Database=pq;Timeout=3" });

        var ex = await Assert.ThrowsAsync<ModelStoreAccessException>(() => sut.AppendAsync([new PredictionRecord("p", "v1", 0.5f, true, DateTimeOffset.UtcNow)]));

        Assert.Contains("model_predictions", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
        var tooLong = await Assert.ThrowsAsync<ArgumentException>(() => sut.AppendAsync([new PredictionRecord("p", "v1", 0.5f, true, DateTimeOffset.UtcNow) { UserId = new string('u', 256) }]));
        Assert.Contains("255", tooLong.Message, StringComparison.Ordinal);
    }
}
