using System.Text.Json;
using PatternQuality.Feedback;
using PatternQuality.Storage;
using PatternQuality.Storage.PostgreSql;
using PatternQuality.Storage.PostgreSql.Internal;

namespace PatternQuality.Tests.Storage.PostgreSql;

/// <summary>What only the PostgreSQL feedback store has: seed 003's training_data (kept, rows and all), its columns, and failures naming the store.</summary>
public sealed class PostgreSqlFeedbackStoreTests : IDisposable
{
    private readonly string _schema = PostgreSqlTestServer.NewSchema();

    public void Dispose() => PostgreSqlTestServer.DropSchema(_schema);

    [Fact]
    public async Task SeedTrainingDataTable_IsMigrated_SeedRowsKeptAndNeverRead_FeedbackLandsInTheSeedColumns()
    {
        if (PostgreSqlTestServer.Skip(nameof(SeedTrainingDataTable_IsMigrated_SeedRowsKeptAndNeverRead_FeedbackLandsInTheSeedColumns)))
        {
            return;
        }

        PostgreSqlTestServer.Execute($"""
            CREATE SCHEMA "{_schema}";
            CREATE TABLE "{_schema}".training_data (
                data_id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
                user_id VARCHAR(255) NOT NULL,
                feature_vector JSONB NOT NULL,
                label VARCHAR(100) NOT NULL,
                created_at TIMESTAMP DEFAULT NOW());
            INSERT INTO "{_schema}".training_data (user_id, feature_vector, label) VALUES ('u1', '{EmptyObject}', 'high');
            """);
        await using var sut = new PostgreSqlFeedbackStore<Suggestion>(Options());
        var at = new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.FromHours(1));

        var result = await sut.AppendAsync([
            new FeedbackRecord<Suggestion>("s-1", 0, new Suggestion("Write report", 3), FeedbackOutcome.Approved, at) { UserId = "u1" },
            new FeedbackRecord<Suggestion>("s-2", 0, new Suggestion("Gym", 1), FeedbackOutcome.Rejected, at.AddMinutes(1)),
        ]);

        Assert.Equal([1L, 2L], result.Accepted.Select(r => r.Sequence));
        Assert.Equal(2, await sut.CountAsync());
        var read = new List<FeedbackRecord<Suggestion>>();
        await foreach (var record in sut.ReadAsync(FeedbackWatermark.Start))
        {
            read.Add(record);
        }

        Assert.Equal(["s-1", "s-2"], read.Select(r => r.Id));
        Assert.Equal(new Suggestion("Write report", 3), read[0].Pattern);
        Assert.Equal((at, "u1"), (read[0].Timestamp, read[0].UserId));
        Assert.Null(read[1].UserId);
        Assert.Equal(3L, PostgreSqlTestServer.Scalar($"SELECT count(*) FROM \"{_schema}\".training_data;"));
        Assert.Equal("approved", PostgreSqlTestServer.Scalar($"SELECT label FROM \"{_schema}\".training_data WHERE feedback_id = 's-1';"));
        Assert.Equal("Write report", PostgreSqlTestServer.Scalar($"SELECT feature_vector->>'title' FROM \"{_schema}\".training_data WHERE feedback_id = 's-1';"));
        Assert.Equal(3, PostgreSqlTestServer.Scalar($"SELECT max(version) FROM \"{_schema}\".pq_schema_migrations;"));

        // A pattern edited into something else is reported, naming the record.
        PostgreSqlTestServer.Execute($"UPDATE \"{_schema}\".training_data SET feature_vector = '[1, 2]' WHERE feedback_id = 's-2';");
        var ex = await Assert.ThrowsAsync<ModelStoreCorruptedException>(async () =>
        {
            await foreach (var _ in sut.ReadAsync(FeedbackWatermark.Start))
            {
            }
        });
        Assert.Contains("'s-2'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadsBeforeTheFirstAppend_AreEmpty_AndTooLongUserIdIsRefusedBeforeWriting()
    {
        if (PostgreSqlTestServer.Skip(nameof(ReadsBeforeTheFirstAppend_AreEmpty_AndTooLongUserIdIsRefusedBeforeWriting)))
        {
            return;
        }

        using var sut = new PostgreSqlFeedbackStore<Suggestion>(Options());

        Assert.Equal(0, await sut.CountAsync());
        await foreach (var _ in sut.ReadAsync(FeedbackWatermark.Start))
        {
            Assert.Fail("an empty store yields nothing");
        }

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => sut.AppendAsync([new FeedbackRecord<Suggestion>("s-1", 0, new Suggestion("x", 1), FeedbackOutcome.Approved, DateTimeOffset.UtcNow) { UserId = new string('u', 256) }]));
        Assert.Contains("255", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0L, PostgreSqlTestServer.Scalar($"SELECT count(*) FROM information_schema.schemata WHERE schema_name = '{_schema}';"));
    }

    [Fact]
    public async Task ServerUnreachable_AppendAndReadThrowAccessNamingTheStoreWithoutThePassword()
    {
        using var sut = new PostgreSqlFeedbackStore<Suggestion>(new PostgreSqlModelStoreOptions { ConnectionString = "Host=127.0.0.1;Port=1;Username=pq;Password=s3cret;Database=pq;Timeout=3" }, new JsonSerializerOptions());

        var append = await Assert.ThrowsAsync<ModelStoreAccessException>(() => sut.AppendAsync([new FeedbackRecord<Suggestion>("s-1", 0, new Suggestion("x", 1), FeedbackOutcome.Approved, DateTimeOffset.UtcNow)]));
        var count = await Assert.ThrowsAsync<ModelStoreAccessException>(() => sut.CountAsync());

        Assert.Equal("postgresql://pq@127.0.0.1:1/pq#public.training_data/pattern_quality", sut.Location);
        Assert.All(new[] { append, count }, e =>
        {
            Assert.Contains(sut.Location, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cret", e.Message, StringComparison.Ordinal);
        });
        Assert.Throws<ArgumentNullException>(() => new PostgreSqlFeedbackStore<Suggestion>(null!));
    }

    /// <summary>
    /// The guard behind the COPY: a writer that does not take the store's lock (not this library) inserts a feedback
    /// id the batch also holds, after the batch's duplicate check. The unique index refuses the batch whole, the error
    /// names the store and says a retry is safe, and the retry stores the rest once. On both write paths (COPY, and the
    /// one-round-trip INSERT of small batches).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(PostgreSqlFeedbackStore<Suggestion>.DefaultBulkCopyThreshold)]
    public async Task ForeignWriterWithoutTheLock_InsertsAnIdOfTheBatch_BatchRefusedWhole_RetryStoresTheRestOnce(int bulkCopyThreshold)
    {
        if (PostgreSqlTestServer.Skip(nameof(ForeignWriterWithoutTheLock_InsertsAnIdOfTheBatch_BatchRefusedWhole_RetryStoresTheRestOnce)))
        {
            return;
        }

        await using var sut = new PostgreSqlFeedbackStore<Suggestion>(Options()) { BulkCopyThreshold = bulkCopyThreshold };
        var at = new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);
        FeedbackRecord<Suggestion>[] batch = [.. Enumerable.Range(0, 3).Select(i => new FeedbackRecord<Suggestion>("s-" + i, 0, new Suggestion("t" + i, i), FeedbackOutcome.Approved, at))];
        await sut.AppendAsync([new FeedbackRecord<Suggestion>("first", 0, new Suggestion("f", 0), FeedbackOutcome.Rejected, at)]);

        await using (var foreign = new Npgsql.NpgsqlConnection(PostgreSqlTestServer.ConnectionString))
        {
            await foreign.OpenAsync();
            await using var transaction = await foreign.BeginTransactionAsync();
            await using (var insert = new Npgsql.NpgsqlCommand($"INSERT INTO \"{_schema}\".training_data (user_id, feature_vector, label, model_type, feedback_id, sequence) VALUES ('', '{EmptyObject}', 'approved', 'pattern_quality', 's-1', 1000);", foreign, transaction))
            {
                await insert.ExecuteNonQueryAsync();
            }

            // The append checks for held ids (the uncommitted row is invisible to it), then its insert waits on that row.
            var append = sut.AppendAsync(batch);
            await PsqlProcess.WaitUntilAsync($"SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND position('training_data' IN query) > 0);");
            await transaction.CommitAsync();
            var ex = await Assert.ThrowsAsync<ModelStoreAccessException>(() => append);
            Assert.Contains(sut.Location, ex.Message, StringComparison.Ordinal);
            Assert.Contains("retried", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(2, await sut.CountAsync());
        var retried = await sut.AppendAsync(batch);
        Assert.Equal(["s-0", "s-2"], retried.Accepted.Select(r => r.Id));
        Assert.Equal(1, retried.Duplicates);
        Assert.Equal([1001L, 1002L], retried.Accepted.Select(r => r.Sequence));
    }

    /// <summary>
    /// Group commit: while one batch waits for the server's lock (held here by another session, as another instance
    /// would), the batches that arrive on this instance queue and the next writer commits all of them in one
    /// transaction. Each caller gets its own result; an id two batches share is stored once, and the later batch counts
    /// it as its duplicate. On both write paths (the group of 172 records goes by COPY with a threshold of 1).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(PostgreSqlFeedbackStore<Suggestion>.DefaultBulkCopyThreshold)]
    public async Task ConcurrentBatches_WhileTheLockIsHeld_CommitTogetherEachWithItsOwnResult(int bulkCopyThreshold)
    {
        if (PostgreSqlTestServer.Skip(nameof(ConcurrentBatches_WhileTheLockIsHeld_CommitTogetherEachWithItsOwnResult)))
        {
            return;
        }

        await using var sut = new PostgreSqlFeedbackStore<Suggestion>(Options()) { BulkCopyThreshold = bulkCopyThreshold };
        var at = new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);
        FeedbackRecord<Suggestion>[] Batch(params string[] ids) => [.. ids.Select((id, i) => new FeedbackRecord<Suggestion>(id, 0, new Suggestion(id, i), FeedbackOutcome.Approved, at))];
        string[] Ids(string prefix, int count) => [.. Enumerable.Range(0, count).Select(i => $"{prefix}-{i}")];
        await sut.AppendAsync(Batch("created"));

        await using var holder = new Npgsql.NpgsqlConnection(PostgreSqlTestServer.ConnectionString);
        await holder.OpenAsync();
        var lockSql = $"({PostgreSqlSchema.FeedbackLockClass}, {PostgreSqlSchema.LockKey(_schema, "pattern_quality")})";
        await using (var take = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock{lockSql};", holder))
        {
            await take.ExecuteNonQueryAsync();
        }

        // The first batch takes this instance's writer and waits for the server's lock; 17 more queue behind it.
        var first = sut.AppendAsync(Batch(Ids("first", 10)));
        while (sut.PendingCount != 0)
        {
            await Task.Delay(10);
        }

        var queued = Enumerable.Range(0, 16).Select(b => Task.Run(() => sut.AppendAsync(Batch(Ids("b" + b, 10)))))
            .Append(Task.Run(() => sut.AppendAsync(Batch([.. Ids("b3", 10), "extra-0", "extra-1"]))))
            .ToArray();
        while (sut.PendingCount < 17)
        {
            await Task.Delay(10);
        }

        var before = sut.CommitCount;
        await using (var release = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_unlock{lockSql};", holder))
        {
            await release.ExecuteNonQueryAsync();
        }

        var firstResult = await first;
        var results = await Task.WhenAll(queued);

        Assert.Equal(2, sut.CommitCount - before);
        Assert.Equal(Enumerable.Range(2, 10).Select(i => (long)i), firstResult.Accepted.Select(r => r.Sequence));
        Assert.Equal(162, results.Sum(r => r.Accepted.Count));
        Assert.Equal(10, results.Sum(r => r.Duplicates));
        Assert.All(results, r => Assert.Equal(Enumerable.Range((int)(r.Accepted.FirstOrDefault()?.Sequence ?? 0), r.Accepted.Count).Select(i => (long)i), r.Accepted.Select(a => a.Sequence)));
        Assert.Equal(Enumerable.Range(12, 162).Select(i => (long)i), results.SelectMany(r => r.Accepted).Select(a => a.Sequence).Order());
        Assert.Equal(173, await sut.CountAsync());
    }

    private const string EmptyObject = "{}";

    private PostgreSqlModelStoreOptions Options() => new() { ConnectionString = PostgreSqlTestServer.ConnectionString!, Schema = _schema };

    public sealed record Suggestion(string Title, int Energy);
}
