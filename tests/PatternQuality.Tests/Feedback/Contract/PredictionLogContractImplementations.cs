using PatternQuality.Feedback;
using PatternQuality.Storage.PostgreSql;
using PatternQuality.Storage.Sqlite;
using PatternQuality.Tests.Storage.PostgreSql;

namespace PatternQuality.Tests.Feedback.Contract;

/// <summary>The prediction log contract on <see cref="InMemoryPredictionLog"/>: one instance stands for the whole log.</summary>
public sealed class InMemoryPredictionLogContractTests : PredictionLogContractTests
{
    private readonly InMemoryPredictionLog _log = new();

    protected override IPredictionLog CreateLog() => _log;
}

/// <summary>The prediction log contract on <see cref="SqlitePredictionLog"/>: one database file, a new instance per call.</summary>
public sealed class SqlitePredictionLogContractTests : PredictionLogContractTests
{
    protected override IPredictionLog CreateLog() => new SqlitePredictionLog(new SqliteModelStoreOptions { DatabasePath = Path.Combine(TempPath, "patternquality.db") });
}

/// <summary>
/// The prediction log contract on <see cref="PostgreSqlPredictionLog"/>: one shared schema on the test server, a model type
/// of its own per test, a new instance (own connection pool) per call. Without a server the tests fail with the reason.
/// </summary>
public sealed class PostgreSqlPredictionLogContractTests : PredictionLogContractTests
{
    private const string Schema = "pq_prediction_contract";
    private readonly string _modelType = "predictions-" + Guid.NewGuid().ToString("N")[..20];

    protected override IPredictionLog CreateLog()
    {
        var connectionString = PostgreSqlTestServer.ConnectionString ?? throw new InvalidOperationException("No PostgreSQL server for the tests (see the SKIPPED message); set PQ_TEST_POSTGRES.");
        return new PostgreSqlPredictionLog(new PostgreSqlModelStoreOptions { ConnectionString = connectionString, Schema = Schema, ModelType = _modelType });
    }
}
