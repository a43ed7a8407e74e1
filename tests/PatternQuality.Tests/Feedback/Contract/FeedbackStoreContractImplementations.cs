using PatternQuality.Feedback;
using PatternQuality.Hosting;
using PatternQuality.Storage.PostgreSql;
using PatternQuality.Storage.Sqlite;
using PatternQuality.Tests.Storage.PostgreSql;
using Row = System.Collections.Generic.IReadOnlyDictionary<string, string?>;

namespace PatternQuality.Tests.Feedback.Contract;

/// <summary>The feedback contract on <see cref="InMemoryFeedbackSource{TPattern}"/>: one instance stands for the whole store.</summary>
public sealed class InMemoryFeedbackStoreContractTests : FeedbackStoreContractTests
{
    private readonly InMemoryFeedbackSource<Row> _store = new();

    protected override IFeedbackStore<Row> CreateStore() => _store;
}

/// <summary>The feedback contract on <see cref="DurableFeedbackLog{TPattern}"/>: one file, one writer instance at a time.</summary>
public sealed class DurableFeedbackLogContractTests : FeedbackStoreContractTests
{
    private DurableFeedbackLog<Row>? _current;

    protected override IFeedbackStore<Row> CreateStore()
    {
        // The log admits one writer per file: an instance still open here (a test reading through a "second" one) is the store.
        if (_current is not null && !IsDisposed(_current))
        {
            return _current;
        }

        return _current = new DurableFeedbackLog<Row>(Path.Combine(TempPath, "feedback.log"));
    }

    private static bool IsDisposed(DurableFeedbackLog<Row> log)
    {
        try
        {
            _ = log.AppendAsync([]).GetAwaiter().GetResult();
            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }
}

/// <summary>The feedback contract on <see cref="SqliteFeedbackStore{TPattern}"/>: one database file, a new instance per call, several open at once.</summary>
public sealed class SqliteFeedbackStoreContractTests : FeedbackStoreContractTests
{
    protected override bool SupportsConcurrentInstances => true;

    protected override IFeedbackStore<Row> CreateStore() => new SqliteFeedbackStore<Row>(new SqliteModelStoreOptions { DatabasePath = Path.Combine(TempPath, "patternquality.db") });
}

/// <summary>
/// The feedback contract on <see cref="PostgreSqlFeedbackStore{TPattern}"/>: one shared schema on the test server, a model
/// type of its own per test, a new instance (own connection pool) per call, several open at once. Without a server it
/// skips loudly (fails under CI).
/// </summary>
public sealed class PostgreSqlFeedbackStoreContractTests : FeedbackStoreContractTests
{
    private const string Schema = "pq_feedback_contract";
    private readonly string _modelType = "feedback-" + Guid.NewGuid().ToString("N");

    protected override bool SupportsConcurrentInstances => true;

    protected override IFeedbackStore<Row> CreateStore()
    {
        // No server outside CI: the tests cannot skip themselves here, so they fail with the reason (CI must not skip).
        var connectionString = PostgreSqlTestServer.ConnectionString ?? throw new InvalidOperationException("No PostgreSQL server for the tests (see the SKIPPED message); set PQ_TEST_POSTGRES.");
        return new PostgreSqlFeedbackStore<Row>(new PostgreSqlModelStoreOptions { ConnectionString = connectionString, Schema = Schema, ModelType = _modelType, LockTimeout = TimeSpan.FromSeconds(60) });
    }
}

/// <summary>
/// The feedback contract on <see cref="PostgreSqlFeedbackStore{TPattern}"/> with every batch written by binary COPY (the
/// path of batches of 256 records and more; the suite's batches are smaller, so the other class covers the one-round-trip
/// INSERT and this one the COPY).
/// </summary>
public sealed class PostgreSqlFeedbackStoreBulkCopyContractTests : FeedbackStoreContractTests
{
    private const string Schema = "pq_feedback_contract";
    private readonly string _modelType = "feedback-copy-" + Guid.NewGuid().ToString("N");

    protected override bool SupportsConcurrentInstances => true;

    protected override IFeedbackStore<Row> CreateStore()
    {
        var connectionString = PostgreSqlTestServer.ConnectionString ?? throw new InvalidOperationException("No PostgreSQL server for the tests (see the SKIPPED message); set PQ_TEST_POSTGRES.");
        return new PostgreSqlFeedbackStore<Row>(new PostgreSqlModelStoreOptions { ConnectionString = connectionString, Schema = Schema, ModelType = _modelType, LockTimeout = TimeSpan.FromSeconds(60) }) { BulkCopyThreshold = 1 };
    }
}
