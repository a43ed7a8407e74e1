using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PatternQuality.Data;

namespace PatternQuality.Benchmarks;

/// <summary>
/// Issue 10 item 8: <c>pq serve</c> under load on loopback. A real <c>pq serve</c> child process over a store with a
/// coupon model; closed-loop clients post one-row <c>POST /score</c> requests while another client posts feedback
/// (200 records/s) and gated retrains run back to back (<c>POST /retrain</c>). The anchor, measured side by side with
/// the same client in the same run, is a bare Kestrel minimal API child process that parses the same JSON body and
/// answers a constant score: the floor HTTP on this machine costs. Then seed 004's check: 100 requests/s open-loop
/// (latency from each request's scheduled time, so a stall is not hidden), p95 under 50 ms.
/// Run with <c>dotnet run -c Release --project benchmarks/PatternQuality.Benchmarks -- serve-load [seconds] [clients]</c>
/// after <c>dotnet build -c Release</c> (it runs <c>src/PatternQuality.Cli/bin/Release/net10.0/pq.dll</c>).
/// </summary>
internal static class ServeLoad
{
    private static readonly string[] _couponLines = File.ReadAllLines(BenchData.CouponPath);

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var clients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32;
        Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {LoadAverage()} at start; {seconds} s per run, {clients} closed-loop clients, one row per request");
        var pq = FindPq();
        var root = Path.Combine(Path.GetTempPath(), "pq-serve-load-" + Guid.NewGuid().ToString("N"));
        var store = Path.Combine(root, "store");
        Directory.CreateDirectory(root);
        try
        {
            var train = await RunToEndAsync(pq, "train", "--store", store, "--data", BenchData.CouponPath, "--label", "Y", "--json");
            Console.WriteLine($"model: pq train on {_couponLines.Length - 1:N0} coupon rows (defaults): {JsonNode.Parse(train)!["version"]}");
            var scoreBodies = Enumerable.Range(0, 1000).Select(i => Encoding.UTF8.GetBytes(new JsonObject { ["rows"] = new JsonArray(Row(i * 7)) }.ToJsonString())).ToArray();

            Console.WriteLine();
            Console.WriteLine("| server | condition | requests/s | p50 ms | p95 ms | p99 ms | max ms | errors |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");

            // The anchor: bare Kestrel parsing the same body, in its own process like pq serve.
            using (var anchor = await ChildServer.StartAsync("dotnet", [typeof(ServeLoad).Assembly.Location, "serve-anchor"]))
            {
                var floor = await ClosedLoopAsync(anchor.Url, "/score", scoreBodies, clients, seconds);
                Print("bare Kestrel (anchor)", "score only", floor);
            }

            // PQ_SERVE_ENV="NAME=value;..." sets runtime knobs (GC modes, for one) on the pq serve child only, to compare them.
            var serveEnvironment = (Environment.GetEnvironmentVariable("PQ_SERVE_ENV") ?? string.Empty)
                .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => p.Split('=', 2))
                .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty, StringComparer.Ordinal);
            if (serveEnvironment.Count > 0)
            {
                Console.WriteLine($"pq serve environment: {string.Join(' ', serveEnvironment.Select(e => e.Key + "=" + e.Value))}");
            }

            using var server = await ChildServer.StartAsync("dotnet", [pq, "serve", "--store", store, "--urls", "http://127.0.0.1:0"], serveEnvironment);

            // Feedback for the retrains to learn from, then measure with nothing else running, then with feedback and retrains.
            for (var start = 0; start < 5000; start += 500)
            {
                await server.Client.PostAsync("/feedback", Json(Feedback(start, 500, "seed")));
            }

            var runtimeBefore = await RuntimeCountersAsync(server.Client);
            var quiet = await ClosedLoopAsync(server.Url, "/score", scoreBodies, clients, seconds);
            Print("pq serve", "score only", quiet);
            var runtimeQuiet = await RuntimeCountersAsync(server.Client);

            using var stop = new CancellationTokenSource();
            var feedback = PostFeedbackAsync(server.Client, stop.Token);
            var retrains = RetrainLoopAsync(server.Client, stop.Token);
            var busy = await ClosedLoopAsync(server.Url, "/score", scoreBodies, clients, seconds);
            await stop.CancelAsync();
            var (posted, feedbackErrors) = await feedback;
            var (finished, retrainErrors) = await retrains;
            Print("pq serve", $"score + feedback ({posted / seconds:N0} records/s) + {finished} gated retrain(s)", busy);
            var runtimeBusy = await RuntimeCountersAsync(server.Client);

            // Seed 004: 100 requests/s, open loop, while feedback flows and a retrain runs.
            using var stop2 = new CancellationTokenSource();
            var feedback2 = PostFeedbackAsync(server.Client, stop2.Token);
            var retrains2 = RetrainLoopAsync(server.Client, stop2.Token);
            var paced = await OpenLoopAsync(server.Url, "/score", scoreBodies, 100, seconds);
            await stop2.CancelAsync();
            await feedback2;
            var (finished2, _) = await retrains2;
            Print("pq serve", $"100 req/s open loop + feedback + {finished2} gated retrain(s)", paced);

            // Where a slow request's time goes: GC pauses and thread-pool queueing in the server, per phase (from /metrics).
            Console.WriteLine();
            Console.WriteLine("| pq serve phase | GCs (gen0/gen1/gen2) | GC pause ms | thread-pool threads at end | work items queued at end |");
            Console.WriteLine("|---|---|---:|---:|---:|");
            PrintRuntime("score only", runtimeBefore, runtimeQuiet);
            PrintRuntime("score + feedback + retrains", runtimeQuiet, runtimeBusy);

            var status = await server.Client.GetStringAsync("/status");
            Console.WriteLine();
            Console.WriteLine($"feedback errors {feedbackErrors}, retrain errors {retrainErrors}; /status after the runs: {status}");
            Console.WriteLine($"load average {LoadAverage()} at end");
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The anchor server (<c>serve-anchor</c>): parses the JSON body and answers a constant score.</summary>
    public static async Task<int> RunAnchorAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapPost("/score", async (HttpRequest request) =>
        {
            var body = await JsonNode.ParseAsync(request.Body);
            var rows = body?["rows"]?.AsArray().Count ?? 0;
            return Results.Json(new JsonObject { ["version"] = "anchor", ["scores"] = new JsonArray(Enumerable.Repeat(0.5, rows).Select(s => (JsonNode?)s).ToArray()) });
        });
        await app.StartAsync();
        Console.WriteLine($"Serving anchor on {string.Join(", ", app.Urls)}; Ctrl+C stops.");
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static async Task<Result> ClosedLoopAsync(Uri url, string path, byte[][] bodies, int clients, int seconds)
    {
        using var client = NewClient(url, clients);

        // Warm-up: JIT, connections, tiered compilation.
        await RunClientsAsync(client, path, bodies, clients, TimeSpan.FromSeconds(2), null);
        var latencies = new List<double>[clients];
        var clock = Stopwatch.StartNew();
        var errors = await RunClientsAsync(client, path, bodies, clients, TimeSpan.FromSeconds(seconds), latencies);
        var elapsed = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).ToArray();
        return new Result(all.Length / elapsed, all, errors);
    }

    private static async Task<int> RunClientsAsync(HttpClient client, string path, byte[][] bodies, int clients, TimeSpan duration, List<double>[]? latencies)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var errors = 0;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = new List<double>(100_000);
            if (latencies is not null)
            {
                latencies[c] = mine;
            }

            for (var i = c; Stopwatch.GetTimestamp() < end; i += clients)
            {
                var start = Stopwatch.GetTimestamp();
                if (!await SendAsync(client, path, bodies[i % bodies.Length]))
                {
                    Interlocked.Increment(ref errors);
                }

                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        })));
        return errors;
    }

    private static async Task<Result> OpenLoopAsync(Uri url, string path, byte[][] bodies, int perSecond, int seconds)
    {
        using var client = NewClient(url, 64);
        var count = perSecond * seconds;
        var latencies = new double[count];
        var errors = 0;
        var tasks = new Task[count];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / perSecond);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var index = i;
            tasks[i] = Task.Run(async () =>
            {
                if (!await SendAsync(client, path, bodies[index % bodies.Length]))
                {
                    Interlocked.Increment(ref errors);
                }

                // From the scheduled time, so a late send (a stalled client or server) counts against us.
                latencies[index] = (clock.Elapsed - due).TotalMilliseconds;
            });
        }

        await Task.WhenAll(tasks);
        return new Result(count / clock.Elapsed.TotalSeconds, latencies, errors);
    }

    private static async Task<bool> SendAsync(HttpClient client, string path, byte[] body)
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            using var response = await client.PostAsync(path, content);
            await response.Content.ReadAsByteArrayAsync();
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<(int Posted, int Errors)> PostFeedbackAsync(HttpClient client, CancellationToken stop)
    {
        // 200 records/s in batches of 20, with fresh ids.
        int posted = 0, errors = 0, next = 100_000;
        while (!stop.IsCancellationRequested)
        {
            var tick = Task.Delay(100, CancellationToken.None);
            try
            {
                using var response = await client.PostAsync("/feedback", Json(Feedback(next, 20, "live")), CancellationToken.None);
                _ = response.StatusCode == HttpStatusCode.Accepted ? posted += 20 : errors++;
            }
            catch (HttpRequestException)
            {
                errors++;
            }

            next += 20;
            await tick;
        }

        return (posted, errors);
    }

    private static async Task<(int Finished, int Errors)> RetrainLoopAsync(HttpClient client, CancellationToken stop)
    {
        int finished = 0, errors = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await client.PostAsync("/retrain", null, CancellationToken.None);
                _ = response.StatusCode == HttpStatusCode.OK ? finished++ : errors++;
            }
            catch (HttpRequestException)
            {
                errors++;
            }
        }

        return (finished, errors);
    }

    private static HttpClient NewClient(Uri url, int connections) => new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
    {
        BaseAddress = url,
        Timeout = TimeSpan.FromMinutes(2),
    };

    private static void Print(string server, string condition, Result r)
    {
        var sorted = r.Latencies.Order().ToArray();
        double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {server} | {condition} | {r.PerSecond:N0} | {P(0.5):F2} | {P(0.95):F2} | {P(0.99):F2} | {P(1):F1} | {r.Errors} |"));
    }

    // Sums of the .NET runtime's instruments (the System.Runtime meter) that pq serve exports on /metrics.
    private static async Task<Dictionary<string, double>> RuntimeCountersAsync(HttpClient client)
    {
        var text = await client.GetStringAsync("/metrics");
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith("dotnet_", StringComparison.Ordinal))
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var name = line[..(brace > 0 ? brace : space)];
            var generation = line.Contains("gc_heap_generation=\"", StringComparison.Ordinal) ? line[(line.IndexOf("gc_heap_generation=\"", StringComparison.Ordinal) + 20)..].Split('"')[0] : null;
            if (double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                var key = generation is null ? name : name + ":" + generation;
                sums[key] = sums.GetValueOrDefault(key) + value;
            }
        }

        return sums;
    }

    private static void PrintRuntime(string phase, Dictionary<string, double> before, Dictionary<string, double> after)
    {
        double Delta(string key) => after.GetValueOrDefault(key) - before.GetValueOrDefault(key);
        var gcs = $"{Delta("dotnet_gc_collections_total:gen0"):F0}/{Delta("dotnet_gc_collections_total:gen1"):F0}/{Delta("dotnet_gc_collections_total:gen2"):F0}";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {phase} | {gcs} | {Delta("dotnet_gc_pause_time_seconds_total") * 1000:F0} | {after.GetValueOrDefault("dotnet_thread_pool_thread_count"):F0} | {after.GetValueOrDefault("dotnet_thread_pool_queue_length"):F0} |"));
    }

    private static JsonObject Row(int index)
    {
        var header = _couponLines[0].Split(',');
        var values = CsvLine(_couponLines[1 + (index % (_couponLines.Length - 1))]);
        var row = new JsonObject();
        for (var c = 0; c < header.Length; c++)
        {
            if (header[c] != "Y")
            {
                row[header[c]] = values[c];
            }
        }

        return row;
    }

    private static JsonObject Feedback(int start, int count, string prefix) => new()
    {
        ["records"] = new JsonArray(Enumerable.Range(start, count).Select(i => (JsonNode)new JsonObject
        {
            ["id"] = prefix + i.ToString(CultureInfo.InvariantCulture),
            ["row"] = Row(i),
            ["approved"] = CsvLine(_couponLines[1 + (i % (_couponLines.Length - 1))])[^1] == "1",
        }).ToArray()),
    };

    // The coupon file has no quoted commas; the CSV reader would be overkill for a load generator.
    private static string[] CsvLine(string line) => line.Split(',');

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string FindPq()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var pq = Path.Combine(dir.FullName, "src", "PatternQuality.Cli", "bin", "Release", "net10.0", "pq.dll");
            if (File.Exists(pq))
            {
                return pq;
            }
        }

        throw new FileNotFoundException("src/PatternQuality.Cli/bin/Release/net10.0/pq.dll not found: run dotnet build -c Release first.");
    }

    private static async Task<string> RunToEndAsync(string pq, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(pq);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await output : throw new InvalidOperationException($"pq {args[0]} failed: {await error}");
    }

    private sealed record Result(double PerSecond, IReadOnlyList<double> Latencies, int Errors);

    /// <summary>A server child process that prints "... on URL; ..." once it listens; killed on dispose.</summary>
    private sealed class ChildServer : IDisposable
    {
        private readonly Process _process;

        private ChildServer(Process process, Uri url)
        {
            _process = process;
            Url = url;
            Client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(5) };
        }

        public Uri Url { get; }

        public HttpClient Client { get; }

        public static async Task<ChildServer> StartAsync(string file, string[] args, IReadOnlyDictionary<string, string>? environment = null)
        {
            var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            {
                info.Environment[name] = value;
            }

            foreach (var a in args)
            {
                info.ArgumentList.Add(a);
            }

            var process = Process.Start(info)!;
            _ = process.StandardError.ReadToEndAsync();
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                var at = line.IndexOf(" on http://", StringComparison.Ordinal);
                if (at >= 0)
                {
                    _ = process.StandardOutput.ReadToEndAsync();
                    return new ChildServer(process, new Uri(line[(at + 4)..].Split([',', ';', ' '])[0]));
                }
            }

            throw new InvalidOperationException($"{string.Join(' ', args)} exited before listening.");
        }

        public void Dispose()
        {
            Client.Dispose();
            try
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            _process.Dispose();
        }
    }
}
