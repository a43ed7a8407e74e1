using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PatternQuality.Storage;
using PatternQuality.Storage.PostgreSql;
using PatternQuality.Storage.PostgreSql.Internal;

namespace PatternQuality.Tests.Storage.PostgreSql;

/// <summary>
/// What only the PostgreSQL store has: seed 003's table and its migration, the advisory locks (held and killed by a
/// real second process, psql), LISTEN/NOTIFY, locations and options. Each test has a schema of its own.
/// </summary>
public sealed class PostgreSqlModelStoreTests : IDisposable
{
    private readonly string _schema = PostgreSqlTestServer.NewSchema();
    private readonly List<PostgreSqlModelStore> _stores = [];

    public void Dispose()
    {
        _stores.ForEach(s => s.Dispose());
        PostgreSqlTestServer.DropSchema(_schema);
    }

    [Fact]
    public async Task FirstUse_SeedTableWithVarchar20Version_IsMigratedAndKeepsItsRows()
    {
        if (PostgreSqlTestServer.Skip(nameof(FirstUse_SeedTableWithVarchar20Version_IsMigratedAndKeepsItsRows)))
        {
            return;
        }

        // Seed 003's DDL as the seed gives it, with one of the seed's own models in it.
        PostgreSqlTestServer.Execute($"""
            CREATE SCHEMA "{_schema}";
            CREATE TABLE "{_schema}".ml_models (
                model_id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
                model_type VARCHAR(50) NOT NULL,
                version VARCHAR(20) NOT NULL,
                model_data BYTEA,
                accuracy_score DECIMAL(5,4),
                training_samples INT,
                trained_at TIMESTAMP DEFAULT NOW(),
                is_active BOOLEAN DEFAULT false);
            INSERT INTO "{_schema}".ml_models (model_type, version, model_data, accuracy_score, training_samples, is_active)
              VALUES ('energy_prediction', '1.0.0', '\x00', 0.8100, 500, true);
            """);
        var sut = CreateSut();
        var longVersion = "20261129-013000-" + new string('a', 40);

        await sut.SaveAsync(new ModelMetadata(longVersion) { TrainingRows = 1234, Metrics = new Dictionary<string, double> { ["auc"] = 0.87654 } }, Bytes("ours"));
        await sut.SetActiveVersionAsync(longVersion);

        Assert.Equal(128, PostgreSqlTestServer.Scalar($"SELECT character_maximum_length FROM information_schema.columns WHERE table_schema = '{_schema}' AND table_name = 'ml_models' AND column_name = 'version';"));
        Assert.Contains("VARCHAR(20)", (string)PostgreSqlTestServer.Scalar($"SELECT description FROM \"{_schema}\".pq_schema_migrations WHERE version = 1;")!, StringComparison.Ordinal);
        Assert.Equal(2L, PostgreSqlTestServer.Scalar($"SELECT count(*) FROM \"{_schema}\".ml_models WHERE is_active;"));
        Assert.Equal(0.8765m, PostgreSqlTestServer.Scalar($"SELECT accuracy_score FROM \"{_schema}\".ml_models WHERE version = '{longVersion}';"));
        Assert.Equal(1234, PostgreSqlTestServer.Scalar($"SELECT training_samples FROM \"{_schema}\".ml_models WHERE version = '{longVersion}';"));
        Assert.Equal([longVersion], (await sut.ListAsync()).Select(m => m.Version));
        Assert.Equal(longVersion, await CreateSut().GetActiveVersionAsync());
        Assert.Equal("1.0.0", PostgreSqlTestServer.Scalar($"SELECT version FROM \"{_schema}\".ml_models WHERE model_type = 'energy_prediction' AND is_active;"));
    }

    [Fact]
    public async Task Reads_BeforeTheFirstWrite_AreEmptyAndCreateNothing()
    {
        if (PostgreSqlTestServer.Skip(nameof(Reads_BeforeTheFirstWrite_AreEmptyAndCreateNothing)))
        {
            return;
        }

        var sut = CreateSut();

        Assert.Empty(await sut.ListAsync());
        Assert.Null(await sut.GetActiveVersionAsync());
        await Assert.ThrowsAsync<ModelNotFoundException>(() => sut.LoadAsync("v1"));
        Assert.Equal(0L, PostgreSqlTestServer.Scalar($"SELECT count(*) FROM information_schema.schemata WHERE schema_name = '{_schema}';"));
    }

    [Fact]
    public async Task PartialUniqueIndex_SecondActiveRowOfAType_IsRefusedByTheDatabase()
    {
        if (PostgreSqlTestServer.Skip(nameof(PartialUniqueIndex_SecondActiveRowOfAType_IsRefusedByTheDatabase)))
        {
            return;
        }

        var sut = CreateSut();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        await sut.SaveAsync(new ModelMetadata("v2"), Bytes("two"));
        await sut.SetActiveVersionAsync("v1");

        var ex = Assert.Throws<Npgsql.PostgresException>(() => PostgreSqlTestServer.Execute($"UPDATE \"{_schema}\".ml_models SET is_active = true WHERE version = 'v2';"));

        Assert.Equal(Npgsql.PostgresErrorCodes.UniqueViolation, ex.SqlState);
        await sut.SetActiveVersionAsync("v2");
        Assert.Equal("v2", await CreateSut().GetActiveVersionAsync());
    }

    [Fact]
    public async Task Write_StoreLockHeldByAnotherProcess_TimesOutNamingTheStore_ThenGoesAheadOnceItIsKilled()
    {
        if (PostgreSqlTestServer.Skip(nameof(Write_StoreLockHeldByAnotherProcess_TimesOutNamingTheStore_ThenGoesAheadOnceItIsKilled)))
        {
            return;
        }

        var sut = CreateSut(lockTimeout: TimeSpan.FromMilliseconds(300));
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        var key = PostgreSqlSchema.LockKey(_schema, PostgreSqlModelStoreOptions.DefaultModelType);
        var holder = await PsqlProcess.StartAsync($"BEGIN; SELECT pg_advisory_xact_lock({PostgreSqlSchema.StoreLockClass}, {key});");
        if (holder is null)
        {
            return;
        }

        try
        {
            await PsqlProcess.WaitUntilAsync(PsqlProcess.AdvisoryLockHeld(PostgreSqlSchema.StoreLockClass, key));

            var ex = await Assert.ThrowsAsync<ModelStoreAccessException>(() => sut.SaveAsync(new ModelMetadata("v2"), Bytes("two")));

            Assert.Contains("Timed out", ex.Message, StringComparison.Ordinal);
            Assert.Contains(_schema + ".ml_models", ex.Message, StringComparison.Ordinal);

            // Readers take no lock.
            Assert.Equal(["v1"], (await sut.ListAsync()).Select(m => m.Version));
            Assert.Equal("one", Text(await sut.LoadAsync("v1")));
        }
        finally
        {
            await PsqlProcess.KillAsync(holder);
        }

        // The killed session's lock went with it.
        var after = CreateSut(lockTimeout: TimeSpan.FromSeconds(20));
        await after.SaveAsync(new ModelMetadata("v2"), Bytes("two"));
        Assert.Equal(["v1", "v2"], (await after.ListAsync()).Select(m => m.Version));
    }

    [Fact]
    public async Task WriterProcessKilledMidSave_StoreKeepsItsCommittedStateAndStaysWritable()
    {
        if (PostgreSqlTestServer.Skip(nameof(WriterProcessKilledMidSave_StoreKeepsItsCommittedStateAndStaysWritable)))
        {
            return;
        }

        var sut = CreateSut();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        await sut.SetActiveVersionAsync("v1");
        var key = PostgreSqlSchema.LockKey(_schema, PostgreSqlModelStoreOptions.DefaultModelType);

        // A real second process does what a save and an activation do, 16 MB of model data included, under the store's
        // lock, and is SIGKILLed before it commits.
        var writer = await PsqlProcess.StartAsync($"""
            BEGIN;
            SELECT pg_advisory_xact_lock({PostgreSqlSchema.StoreLockClass}, {key});
            INSERT INTO "{_schema}".ml_models (model_type, version, created_at, watermark_sequence, training_rows, metrics, properties, aliases, pinned, content_length, sha256, saved_at, model_data)
              VALUES ('{PostgreSqlModelStoreOptions.DefaultModelType}', 'crashed', '2026-11-29T00:00:00.0000000+00:00', -1, 0, '{EmptyObject}', '{EmptyObject}', '[]', false, 16777216, repeat('0', 64), now(), decode(repeat('00', 16777216), 'hex'));
            UPDATE "{_schema}".ml_models SET is_active = false WHERE version = 'v1';
            UPDATE "{_schema}".ml_models SET is_active = true WHERE version = 'crashed';
            SELECT pg_advisory_lock(1, 1);
            """);
        if (writer is null)
        {
            return;
        }

        // pg_advisory_lock(1, 1) is the last statement: once it is granted, everything before it ran.
        await PsqlProcess.WaitUntilAsync("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = 1 AND objid = 1 AND granted);");
        await PsqlProcess.KillAsync(writer);

        var restarted = CreateSut(lockTimeout: TimeSpan.FromSeconds(20));
        Assert.Equal(["v1"], (await restarted.ListAsync()).Select(m => m.Version));
        Assert.Equal("v1", await restarted.GetActiveVersionAsync());
        Assert.Equal("one", Text(await restarted.LoadAsync("v1")));
        await restarted.SaveAsync(new ModelMetadata("v2"), Bytes("two"));
        await restarted.SetActiveVersionAsync("v2");
        Assert.Equal("v2", await CreateSut().GetActiveVersionAsync());
    }

    [Fact]
    public async Task TrainingLock_OneHolderAtATime_ReleasedOnDisposeAndWhenTheHoldingProcessDies()
    {
        if (PostgreSqlTestServer.Skip(nameof(TrainingLock_OneHolderAtATime_ReleasedOnDisposeAndWhenTheHoldingProcessDies)))
        {
            return;
        }

        var first = CreateSut();
        var second = CreateSut();

        await using (var held = await first.TryAcquireTrainingLockAsync())
        {
            Assert.NotNull(held);
            Assert.Null(await second.TryAcquireTrainingLockAsync());
        }

        var again = await second.TryAcquireTrainingLockAsync();
        Assert.NotNull(again);
        await again.DisposeAsync();
        await again.DisposeAsync();

        var key = PostgreSqlSchema.LockKey(_schema, PostgreSqlModelStoreOptions.DefaultModelType);
        // The marker lock (1, 2) is taken after the training lock: once it is granted, psql holds the training lock (the
        // training lock alone could still show the closing session of the handle disposed above).
        var trainer = await PsqlProcess.StartAsync($"SELECT pg_advisory_lock({PostgreSqlSchema.TrainingLockClass}, {key}); SELECT pg_advisory_lock(1, 2);");
        if (trainer is null)
        {
            return;
        }

        await PsqlProcess.WaitUntilAsync(PsqlProcess.AdvisoryLockHeld(1, 2));
        Assert.Null(await first.TryAcquireTrainingLockAsync());
        await PsqlProcess.KillAsync(trainer);

        // The server notices the dead client's closed socket at once; allow it a moment.
        IAsyncDisposable? taken = null;
        for (var i = 0; i < 100 && taken is null; i++)
        {
            taken = await first.TryAcquireTrainingLockAsync();
            await Task.Delay(taken is null ? 100 : 0);
        }

        Assert.NotNull(taken);
        await taken.DisposeAsync();
    }

    [Fact]
    public async Task WaitForActivationAsync_ReturnsWhenAnotherInstanceActivates_FalseAfterTheTimeoutOtherwise()
    {
        if (PostgreSqlTestServer.Skip(nameof(WaitForActivationAsync_ReturnsWhenAnotherInstanceActivates_FalseAfterTheTimeoutOtherwise)))
        {
            return;
        }

        var writer = CreateSut();
        var follower = CreateSut();
        var otherType = CreateSut(modelType: "other");
        await writer.SaveAsync(new ModelMetadata("v1"), Bytes("one"));
        await otherType.SaveAsync(new ModelMetadata("x1"), Bytes("x"));

        // The first wait returns once the store listens (an activation before that would have been missed: read now).
        Assert.True(await follower.WaitForActivationAsync(TimeSpan.FromSeconds(30)));
        Assert.False(await follower.WaitForActivationAsync(TimeSpan.FromMilliseconds(200)));

        var waiting = follower.WaitForActivationAsync(TimeSpan.FromMinutes(1));
        await Task.Delay(300);
        await otherType.SetActiveVersionAsync("x1");
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted, "an activation of another model type must not wake this store's followers");
        await writer.SetActiveVersionAsync("v1");

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("v1", await follower.GetActiveVersionAsync());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => follower.WaitForActivationAsync(TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public async Task Load_RowWrittenByOtherCodeWithoutChecksum_IsReportedAsCorrupted()
    {
        if (PostgreSqlTestServer.Skip(nameof(Load_RowWrittenByOtherCodeWithoutChecksum_IsReportedAsCorrupted)))
        {
            return;
        }

        var sut = CreateSut();
        await sut.SaveAsync(new ModelMetadata("v1"), Bytes(new string('x', 1000)));
        PostgreSqlTestServer.Execute($"UPDATE \"{_schema}\".ml_models SET model_data = substring(model_data from 1 for 500) WHERE version = 'v1';");
        var truncated = await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => sut.LoadAsync("v1"));
        PostgreSqlTestServer.Execute($"UPDATE \"{_schema}\".ml_models SET sha256 = NULL WHERE version = 'v1';");
        var unchecked_ = await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => sut.LoadAsync("v1"));
        PostgreSqlTestServer.Execute($"UPDATE \"{_schema}\".ml_models SET metrics = '\"not an object\"' WHERE version = 'v1';");
        var metadata = await Assert.ThrowsAsync<ModelStoreCorruptedException>(() => sut.ListAsync());

        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);
        Assert.Contains("no recorded length or checksum", unchecked_.Message, StringComparison.Ordinal);
        Assert.Contains("model version 'v1'", metadata.Message, StringComparison.Ordinal);
        Assert.Equal(sut.Location, truncated.FilePath);
    }

    [Fact]
    public async Task AnyOperation_ServerUnreachable_ThrowsAccessNamingTheStoreWithoutThePassword()
    {
        var sut = new PostgreSqlModelStore(new PostgreSqlModelStoreOptions { ConnectionString = "Host=127.0.0.1;Port=1;Username=pq;Password=s3cret;Database=pq;Timeout=3" });

        var read = await Assert.ThrowsAsync<ModelStoreAccessException>(() => sut.ListAsync());
        var write = await Assert.ThrowsAsync<ModelStoreAccessException>(() => sut.SaveAsync(new ModelMetadata("v1"), Bytes("one")));
        var training = await Assert.ThrowsAsync<ModelStoreAccessException>(() => sut.TryAcquireTrainingLockAsync());

        Assert.Equal("postgresql://pq@127.0.0.1:1/pq#public.ml_models/pattern_quality", sut.Location);
        Assert.All(new[] { read, write, training }, ex =>
        {
            Assert.Contains(sut.Location, ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
        });
        await sut.DisposeAsync();
        await sut.DisposeAsync();
    }

    [Theory]
    [InlineData("postgresql://pq@db.example:6543/models", "Host=db.example;Port=6543;Username=pq;Database=models", "public", "pattern_quality")]
    [InlineData("postgres://pq:p%40ss@localhost/models?schema=ml&model_type=suggester", "Host=localhost;Username=pq;Password=p@ss;Database=models", "ml", "suggester")]
    [InlineData("postgresql://localhost", "Host=localhost", "public", "pattern_quality")]
    [InlineData("postgresql://pq@[::1]:5433/db?sslmode=disable", "Host=::1;Port=5433;Username=pq;Database=db;SSL Mode=Disable", "public", "pattern_quality")]
    [InlineData("Host=h;Username=u;Database=d", "Host=h;Username=u;Database=d", "public", "pattern_quality")]
    public void TryParseLocation_UrlsAndConnectionStrings(string location, string expected, string schema, string modelType)
    {
        Assert.True(PostgreSqlModelStoreOptions.TryParseLocation(location, out var options));

        Assert.Equal(new Npgsql.NpgsqlConnectionStringBuilder(expected).ConnectionString, new Npgsql.NpgsqlConnectionStringBuilder(options.ConnectionString).ConnectionString);
        Assert.Equal((schema, modelType), (options.Schema, options.ModelType));
    }

    [Theory]
    [InlineData("models")]
    [InlineData("sqlite:models.db")]
    [InlineData("/var/lib/pq/models")]
    [InlineData("C:\\models")]
    public void TryParseLocation_OtherLocations_AreNotPostgreSql(string location)
    {
        Assert.False(PostgreSqlModelStoreOptions.TryParseLocation(location, out var options));
        Assert.Null(options);
    }

    [Theory]
    [InlineData("postgresql://pq:s3cret@h/db?colour=blue", "colour")]
    [InlineData("postgresql://pq:s3cret@h/db?schema=no-dashes", "Schema")]
    [InlineData("postgresql://pq:s3cret@h/db?model_type=", "ModelType")]
    [InlineData("Host=h;Nonsense=1", "not a valid Npgsql connection string")]
    public void TryParseLocation_Malformed_ThrowsWithoutThePassword(string location, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => PostgreSqlModelStoreOptions.TryParseLocation(location, out _));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingEveryProblem()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new PostgreSqlModelStore(new PostgreSqlModelStoreOptions { ConnectionString = "Username=u", Schema = "1x", ModelType = new string('t', 51), LockTimeout = TimeSpan.Zero }));
        Assert.Equal(4, ex.Failures.Count());

        foreach (var expected in new[] { "names no Host", "Schema '1x'", "ModelType", "LockTimeout" })
        {
            Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        }

        Assert.Throws<ArgumentNullException>(() => new PostgreSqlModelStore(null!));
        Assert.Throws<OptionsValidationException>(() => new PostgreSqlModelStore(new PostgreSqlModelStoreOptions()));
    }

    [Fact]
    public async Task UsePostgreSqlModelStore_RegistersOneStore_InvalidOptionsFailTheHostStart()
    {
        var services = new ServiceCollection();
        services.AddPatternQuality<string>().UseModelStore(new InMemoryModelStore()).UsePostgreSqlModelStore("postgresql://pq@db.example:6543/models?model_type=t");
        await using (var provider = services.BuildServiceProvider())
        {
            var store = Assert.IsType<PostgreSqlModelStore>(provider.GetRequiredService<IModelStore>());
            Assert.Same(store, provider.GetRequiredService<PostgreSqlModelStore>());
            Assert.Equal("postgresql://pq@db.example:6543/models#public.ml_models/t", store.Location);
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddPatternQuality<string>().UsePostgreSqlModelStore(o => o.Schema = "bad schema");
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(ex.Failures, f => f.Contains("ConnectionString must be set", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("Schema 'bad schema'", StringComparison.Ordinal));

        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddPatternQuality<string>().UsePostgreSqlModelStore("models"));
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddPatternQuality<string>().UsePostgreSqlModelStore((Action<PostgreSqlModelStoreOptions>)null!));
    }

    [Fact]
    public async Task SaveAsync_NulInMetadata_ThrowsBeforeWritingAnything()
    {
        if (PostgreSqlTestServer.Skip(nameof(SaveAsync_NulInMetadata_ThrowsBeforeWritingAnything)))
        {
            return;
        }

        var sut = CreateSut();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => sut.SaveAsync(new ModelMetadata("v1") { Decision = "a\0b" }, Bytes("one")));

        Assert.Contains("NUL", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await sut.ListAsync());
    }

    private const string EmptyObject = "{}";

    private static ReadOnlyMemory<byte> Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private static string Text(StoredModel model) => Encoding.UTF8.GetString(model.Content.Span);

    private PostgreSqlModelStore CreateSut(TimeSpan? lockTimeout = null, string modelType = PostgreSqlModelStoreOptions.DefaultModelType)
    {
        var store = new PostgreSqlModelStore(new PostgreSqlModelStoreOptions
        {
            ConnectionString = PostgreSqlTestServer.ConnectionString!,
            Schema = _schema,
            ModelType = modelType,
            LockTimeout = lockTimeout ?? TimeSpan.FromSeconds(30),
        });
        _stores.Add(store);
        return store;
    }
}
