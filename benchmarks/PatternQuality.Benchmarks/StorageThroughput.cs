using System.Diagnostics;
using System.Globalization;
using PatternQuality.Calibration;
using PatternQuality.Feedback;
using PatternQuality.Hosting;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Storage.PostgreSql;
using PatternQuality.Storage.Sqlite;
using PatternQuality.Trees;
using Row = System.Collections.Generic.IReadOnlyDictionary<string, string?>;

namespace PatternQuality.Benchmarks;

/// <summary>
/// Issue 13 item 6: durable feedback ingestion (records per second, batches of 100 and 1,000, each batch awaited, so
/// every record counted was acknowledged as durable) and the save and load time of a 100-tree model, per store.
/// Run with <c>dotnet run -c Release --project benchmarks/PatternQuality.Benchmarks -- storage</c>.
/// </summary>
/// <remarks>
/// The records are real coupon rows as <c>pq serve</c> stores them (26 columns, about 600 bytes of JSON each), built
/// before the clock starts. Each measurement runs on a fresh store in a fresh temporary folder; the figure is the median
/// of three runs. To add a store, add one <see cref="Candidate"/> to <see cref="Candidates"/> (a store that needs a
/// server can read its connection string from an environment variable and be left out when it is not set).
/// </remarks>
internal static class StorageThroughput
{
    private const int Runs = 3;

    /// <summary>The stores measured: the file log is the reference every database store is compared with.</summary>
    private static IEnumerable<Candidate> Candidates()
    {
        yield return new Candidate(
            "file (feedback.log, FileSystemModelStore)",
            dir => new DurableFeedbackLog<Row>(Path.Combine(dir, "feedback.log")),
            dir => new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = dir }));
        yield return new Candidate(
            "SQLite (pq_feedback, SqliteModelStore)",
            dir => new SqliteFeedbackStore<Row>(new SqliteModelStoreOptions { DatabasePath = Path.Combine(dir, "patternquality.db") }),
            dir => new SqliteModelStore(new SqliteModelStoreOptions { DatabasePath = Path.Combine(dir, "patternquality.db") }));

        // PostgreSQL when PQ_BENCH_POSTGRES names a server (.ci/postgres.sh start prints one): a schema of its own per
        // run (left in the server: point it at a throwaway cluster).
        if (Environment.GetEnvironmentVariable(PostgreSqlVariable) is { Length: > 0 } connection)
        {
            yield return new Candidate(
                "PostgreSQL (training_data, PostgreSqlModelStore; loopback)",
                dir => new PostgreSqlFeedbackStore<Row>(PostgreSqlOptions(connection, dir)),
                dir => new PostgreSqlModelStore(PostgreSqlOptions(connection, dir)));
        }
    }

    private const string PostgreSqlVariable = "PQ_BENCH_POSTGRES";

    // One schema per temporary folder, so every run starts empty as the file stores do.
    private static PostgreSqlModelStoreOptions PostgreSqlOptions(string connection, string dir) =>
        new() { ConnectionString = connection, Schema = "pqbench_" + Path.GetFileName(dir)[^20..] };

    // Issue 13 item 6: how long after an activation by one instance a second instance knows the new active version,
    // through the announcement (LISTEN/NOTIFY) and through polling every second (the hosting package's default).
    private static async Task PromotionVisibilityAsync(string connection)
    {
        var dir = TempFolder();
        var options = PostgreSqlOptions(connection, dir);
        await using var writer = new PostgreSqlModelStore(options);
        await using var follower = new PostgreSqlModelStore(options);
        // The first wait starts the follower's listener; it returns after the timeout, listening.
        _ = await follower.WaitForActivationAsync(TimeSpan.FromSeconds(2));
        var announced = new List<double>();
        var polled = new List<double>();
        for (var run = 0; run < 2 * Runs + 1; run++)
        {
            var version = "p" + run.ToString(CultureInfo.InvariantCulture);
            await writer.SaveAsync(new ModelMetadata(version), new byte[] { 1, 2, 3 });
            _ = await follower.WaitForActivationAsync(TimeSpan.Zero);
            var waiting = follower.WaitForActivationAsync(TimeSpan.FromSeconds(10));
            var sw = Stopwatch.StartNew();
            await writer.SetActiveVersionAsync(version);
            if (run % 2 == 0)
            {
                await waiting;
                while (await follower.GetActiveVersionAsync() != version)
                {
                }

                announced.Add(sw.Elapsed.TotalMilliseconds);
            }
            else
            {
                // A poller reads the active version once a second, at a moment unrelated to the activation.
                await Task.Delay(Random.Shared.Next(0, 1000));
                while (await follower.GetActiveVersionAsync() != version)
                {
                    await Task.Delay(1000);
                }

                polled.Add(sw.Elapsed.TotalMilliseconds);
                await waiting;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Promotion visible to a second PostgreSQL instance: {Median(announced):F1} ms by LISTEN/NOTIFY (median of {announced.Count}, max {announced.Max():F1}), {Median(polled):F0} ms by polling every second (median of {polled.Count}, max {polled.Max():F0})."));
        Directory.Delete(dir, recursive: true);
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var total = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {LoadAverage()}, temp folder {Path.GetTempPath()}");
        var records = CouponRecords(total);
        var model = HundredTreeModel();
        Console.WriteLine($"{total:N0} feedback records per run (coupon rows), model of {model.Length:N0} bytes (100 trees, 31 leaves); median of {Runs} runs");
        Console.WriteLine();
        Console.WriteLine("| store | batch 100: records/s | batch 100, 8 concurrent writers: records/s | batch 1,000: records/s | model save (ms) | model load + verify (ms) | load + deserialize (ms) |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var candidate in Candidates())
        {
            var small = await IngestAsync(candidate, records, 100, writers: 1);
            var concurrent = await IngestAsync(candidate, records, 100, writers: 8);
            var large = await IngestAsync(candidate, records, 1_000, writers: 1);
            var (save, load, deserialize) = await ModelAsync(candidate, model);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {candidate.Name} | {small:N0} | {concurrent:N0} | {large:N0} | {save:F1} | {load:F1} | {deserialize:F1} |"));
        }

        if (Environment.GetEnvironmentVariable(PostgreSqlVariable) is { Length: > 0 } connection)
        {
            Console.WriteLine();
            await PromotionVisibilityAsync(connection);
        }
        else
        {
            Console.WriteLine();
            Console.WriteLine($"PostgreSQL not measured: set {PostgreSqlVariable} to a connection string (.ci/postgres.sh start prints one).");
        }

        return 0;
    }

    // Records per second of acknowledged (durable) appends: each writer sends its batches one after another and awaits
    // each (as one request handler of pq serve does); several writers model concurrent requests to one process.
    private static async Task<double> IngestAsync(Candidate candidate, FeedbackRecord<Row>[] records, int batchSize, int writers)
    {
        var rates = new List<double>();
        for (var run = 0; run < Runs; run++)
        {
            var dir = TempFolder();
            try
            {
                var store = candidate.Feedback(dir);
                try
                {
                    // One small batch first: opening the file and creating the schema are not ingestion.
                    await store.AppendAsync(records[..1]);
                    var batches = new List<FeedbackRecord<Row>[]>();
                    for (var start = 1; start < records.Length; start += batchSize)
                    {
                        batches.Add(records[start..Math.Min(records.Length, start + batchSize)]);
                    }

                    var sw = Stopwatch.StartNew();
                    var counts = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
                    {
                        var accepted = 0;
                        for (var b = w; b < batches.Count; b += writers)
                        {
                            accepted += (await store.AppendAsync(batches[b])).Accepted.Count;
                        }

                        return accepted;
                    })));
                    sw.Stop();
                    var stored = counts.Sum();
                    if (stored != records.Length - 1)
                    {
                        throw new InvalidOperationException($"{candidate.Name} stored {stored} of {records.Length - 1} records.");
                    }

                    rates.Add(stored / sw.Elapsed.TotalSeconds);
                }
                finally
                {
                    (store as IDisposable)?.Dispose();
                }
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        rates.Sort();
        return rates[rates.Count / 2];
    }

    private static async Task<(double Save, double Load, double Deserialize)> ModelAsync(Candidate candidate, byte[] model)
    {
        var save = new List<double>();
        var load = new List<double>();
        var deserialize = new List<double>();
        var dir = TempFolder();
        try
        {
            var store = candidate.Models(dir);
            try
            {
                await store.SaveAsync(new ModelMetadata("warm-up"), model);
                for (var run = 0; run < Runs + 2; run++)
                {
                    var version = "v" + run.ToString(CultureInfo.InvariantCulture);
                    var sw = Stopwatch.StartNew();
                    await store.SaveAsync(new ModelMetadata(version), model);
                    save.Add(sw.Elapsed.TotalMilliseconds);
                    sw.Restart();
                    var stored = await store.LoadAsync(version);
                    load.Add(sw.Elapsed.TotalMilliseconds);
                    _ = QualityModel.Load(stored.Content.ToArray());
                    deserialize.Add(sw.Elapsed.TotalMilliseconds);
                }
            }
            finally
            {
                (store as IDisposable)?.Dispose();
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        return (Median(save), Median(load), Median(deserialize));
    }

    private static FeedbackRecord<Row>[] CouponRecords(int count)
    {
        var lines = File.ReadLines(BenchData.CouponPath).ToArray();
        var header = lines[0].Split(',');
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        return Enumerable.Range(0, count).Select(i =>
        {
            var cells = lines[1 + (i % (lines.Length - 1))].Split(',');
            var row = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var c = 0; c < header.Length - 1; c++)
            {
                row[header[c]] = cells[c].Length == 0 ? null : cells[c];
            }

            return new FeedbackRecord<Row>("r" + i.ToString(CultureInfo.InvariantCulture), 0, row, cells[^1] == "1" ? FeedbackOutcome.Approved : FeedbackOutcome.Rejected, start.AddSeconds(i))
            {
                UserId = "u" + (i % 500).ToString(CultureInfo.InvariantCulture),
            };
        }).ToArray();
    }

    private static byte[] HundredTreeModel()
    {
        var load = BenchData.LoadCouponCsv();
        var predictor = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 100, NumberOfLeaves = 31 }).Fit(load.Dataset);
        return new QualityModel(predictor, IdentityCalibrator.Instance, null, load.Extractor.History.Clone(), load.Columns).ToBytes();
    }

    private static string TempFolder()
    {
        var dir = Path.Combine(Path.GetTempPath(), "pq-bench-storage-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>A store to measure: its feedback role and its model role on a fresh folder.</summary>
    private sealed record Candidate(string Name, Func<string, IFeedbackStore<Row>> Feedback, Func<string, IModelStore> Models);
}
