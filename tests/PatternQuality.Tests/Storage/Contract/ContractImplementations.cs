using System.Runtime.CompilerServices;
using PatternQuality.Storage;
using PatternQuality.Storage.Internal;
using PatternQuality.Storage.PostgreSql;
using PatternQuality.Storage.Sqlite;
using PatternQuality.Tests.Storage.PostgreSql;

namespace PatternQuality.Tests.Storage.Contract;

/// <summary>The contract on <see cref="FileSystemModelStore"/>: one directory, a new instance per call.</summary>
public sealed class FileSystemModelStoreContractTests : ModelStoreContractTests
{
    protected override IModelStore CreateStore() => new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = TempPath });

    protected override bool Corrupt(string version)
    {
        var path = Path.Combine(TempPath, "models", version + ".pqm");
        var bytes = File.ReadAllBytes(path);
        bytes[ModelFileEnvelope.HeaderLength] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
        return true;
    }
}

/// <summary>The contract on <see cref="InMemoryModelStore"/>: one instance stands for the whole store.</summary>
public sealed class InMemoryModelStoreContractTests : ModelStoreContractTests
{
    private readonly InMemoryModelStore _store = new();

    protected override IModelStore CreateStore() => _store;

    protected override bool Corrupt(string version) => false;
}

/// <summary>The contract on <see cref="SqliteModelStore"/>: one database file, a new instance per call.</summary>
public sealed class SqliteModelStoreContractTests : ModelStoreContractTests
{
    protected override IModelStore CreateStore() => new SqliteModelStore(new SqliteModelStoreOptions { DatabasePath = Path.Combine(TempPath, "models.db") });

    protected override bool Corrupt(string version)
    {
        SqliteTestDatabase.Execute(Path.Combine(TempPath, "models.db"), $"UPDATE pq_models SET content = CAST(zeroblob(length(content)) AS BLOB) WHERE version = '{version}';");
        return true;
    }
}

/// <summary>
/// The contract on <see cref="PostgreSqlModelStore"/>: one shared schema on the test server (created once, so tests do
/// not pay for DDL), a model type of its own per test (so tests never see each other's rows), a new instance with its
/// own connection pool per call.
/// </summary>
public sealed class PostgreSqlModelStoreContractTests : ModelStoreContractTests
{
    private const string Schema = "pq_contract";
    private readonly string _modelType = "contract-" + Guid.NewGuid().ToString("N");

    protected override bool Unavailable([CallerMemberName] string test = "") => PostgreSqlTestServer.Skip(nameof(PostgreSqlModelStoreContractTests) + "." + test);

    protected override IModelStore CreateStore() =>
        new PostgreSqlModelStore(new PostgreSqlModelStoreOptions { ConnectionString = PostgreSqlTestServer.ConnectionString!, Schema = Schema, ModelType = _modelType, LockTimeout = TimeSpan.FromSeconds(60) });

    protected override bool Corrupt(string version)
    {
        PostgreSqlTestServer.Execute($"UPDATE {Schema}.ml_models SET model_data = set_byte(model_data, 0, get_byte(model_data, 0) # 90) WHERE model_type = '{_modelType}' AND version = '{version}';");
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        PostgreSqlTestServer.DeleteModelType(Schema, _modelType);
    }
}
