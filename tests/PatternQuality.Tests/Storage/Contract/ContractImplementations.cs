using PatternQuality.Storage;
using PatternQuality.Storage.Internal;
using PatternQuality.Storage.Sqlite;

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
