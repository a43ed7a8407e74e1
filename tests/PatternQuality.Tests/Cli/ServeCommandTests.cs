using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using PatternQuality.Cli.Commands;
using PatternQuality.Data;
using PatternQuality.Tests.TestUtils;
using static PatternQuality.Tests.Cli.CliRunner;

namespace PatternQuality.Tests.Cli;

/// <summary>Issue 10 item 6 (minimal): <c>pq serve</c> on real loopback HTTP over a store with a coupon model.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_ScoresLikePredict_RefusesMissingColumns_TakesFeedbackOnce_ReportsStatusAndHealth()
    {
        using var store = new TempStore();
        var version = store.AddCouponModel();
        using var head = new TempFile(string.Join("\n", File.ReadLines(SharedData.Coupon).Take(31)) + "\n");
        var scored = Path.Combine(store.Root, "scored.csv");
        var (code, _, stderr) = Run("predict", "--store", store.Dir, "--data", head.Path, "--out", scored);
        Assert.True(code == 0, stderr);
        var predicted = CsvTable.Read(scored);
        var expected = Enumerable.Range(0, predicted.RowCount).Select(i => double.Parse(predicted.GetValues(i)[^1], CultureInfo.InvariantCulture)).ToArray();

        // The rows as a client posts them: the training file's columns and values (the label is not needed).
        var table = CsvTable.Read(head.Path);
        var rows = new JsonArray();
        for (var i = 0; i < table.RowCount; i++)
        {
            var row = new JsonObject();
            var values = table.GetValues(i);
            for (var c = 0; c < table.Header.Count; c++)
            {
                if (table.Header[c] != "Y")
                {
                    row[table.Header[c]] = values[c];
                }
            }

            rows.Add(row);
        }

        await using var app = await ServeCommand.BuildAsync(store.Dir, "http://127.0.0.1:0", "0 3 * * *", CancellationToken.None);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        // POST /score equals pq predict on the same version and rows (history included).
        var response = await client.PostAsJsonAsync("/score", new JsonObject { ["rows"] = rows.DeepClone() });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(version, (string?)body["version"]);
        var scores = body["scores"]!.AsArray().Select(s => (double)s!).ToArray();
        Assert.Equal(expected.Length, scores.Length);
        for (var i = 0; i < scores.Length; i++)
        {
            Assert.Equal(expected[i], scores[i], 1e-6);
        }

        // A missing column is a 400 naming it.
        var lacking = rows[0]!.DeepClone().AsObject();
        lacking.Remove("coupon");
        response = await client.PostAsJsonAsync("/score", new JsonObject { ["rows"] = new JsonArray(lacking) });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'coupon'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // POST /feedback: 202 once durable; the same ids again are duplicates.
        var records = new JsonArray();
        for (var i = 0; i < 3; i++)
        {
            records.Add(new JsonObject { ["id"] = "r" + i, ["row"] = rows[i]!.DeepClone(), ["approved"] = table.GetValues(i)[^1] == "1" });
        }

        response = await client.PostAsJsonAsync("/feedback", new JsonObject { ["records"] = records.DeepClone() });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(3, (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["accepted"]!);
        response = await client.PostAsJsonAsync("/feedback", new JsonObject { ["records"] = records.DeepClone() });
        var again = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(0, (int)again["accepted"]!);
        Assert.Equal(3, (int)again["duplicates"]!);
        response = await client.PostAsJsonAsync("/feedback", new JsonObject { ["records"] = new JsonArray(new JsonObject { ["id"] = "x", ["row"] = rows[0]!.DeepClone() }) });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        // GET /status and GET /health.
        using var status = JsonDocument.Parse(await client.GetStringAsync("/status"));
        Assert.Equal(version, status.RootElement.GetProperty("version").GetString());
        Assert.True(status.RootElement.TryGetProperty("prequential", out var prequential) && prequential.TryGetProperty("auc", out _));
        Assert.Equal(3, status.RootElement.GetProperty("consumed").GetInt64() + status.RootElement.GetProperty("pending").GetInt64());
        response = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"status\":\"Healthy\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await app.StopAsync();
    }

    [Fact]
    public void Serve_StoreWithoutAModel_FailsNamingTheFix()
    {
        using var store = new TempStore();
        Directory.CreateDirectory(store.Dir);

        var (code, _, stderr) = Run("serve", "--store", store.Dir, "--urls", "http://127.0.0.1:0");

        Assert.Equal(1, code);
        Assert.Contains("pq train", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_WithoutStore_UsesTheSqliteDefaultAndSaysSo()
    {
        var (code, stdout, _) = Run("serve", "--help");
        Assert.Equal(0, code);
        Assert.Contains("sqlite:patternquality.db", stdout, StringComparison.Ordinal);

        using var store = new TempStore();
        var missing = "sqlite:" + Path.Combine(store.Root, "none.db");
        var (failed, _, stderr) = Run("serve", "--store", missing, "--urls", "http://127.0.0.1:0");
        Assert.Equal(1, failed);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(store.Root, "none.db")));
    }
}
