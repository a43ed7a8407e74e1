using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PatternQuality.Cli.Commands;
using PatternQuality.Features;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Tests.Cli;
using Row = System.Collections.Generic.IReadOnlyDictionary<string, string?>;

namespace PatternQuality.Tests.AspNetCore;

/// <summary>
/// A host app that maps the PatternQuality endpoints with one line (<c>MapPatternQuality</c>), run in a
/// <see cref="WebApplicationFactory{TEntryPoint}"/>: it answers as <c>pq serve</c> does on the same store.
/// </summary>
public sealed class MapPatternQualityTests
{
    [Fact]
    public async Task HostApp_UnderAPrefix_ServesTheSameEndpointsAsPqServe()
    {
        using var store = new TempStore();
        var version = store.AddCouponModel();
        var rows = new JsonArray(Enumerable.Range(0, 20).Select(i => (JsonNode)ServeLifecycleTests.Row(i)).ToArray());

        // pq serve on the store: the reference answers.
        JsonNode expected;
        await using (var serve = await ServeCommand.BuildAsync(store.Dir, "http://127.0.0.1:0", null, CancellationToken.None))
        {
            await serve.StartAsync();
            using var pq = new HttpClient { BaseAddress = new Uri(serve.Urls.First()) };
            expected = JsonNode.Parse(await (await pq.PostAsJsonAsync("/score", new JsonObject { ["rows"] = rows.DeepClone() })).Content.ReadAsStringAsync())!;
            await serve.StopAsync();
        }

        await using var host = new RowHost(store.Dir);
        using var client = host.CreateClient();

        var response = await client.PostAsJsonAsync("/quality/score", new JsonObject { ["rows"] = rows.DeepClone() });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(version, (string?)body["version"]);
        Assert.Equal(expected.ToJsonString(), body.ToJsonString());

        // The default row reader checks the served model's columns and names the missing one.
        var lacking = ServeLifecycleTests.Row(0);
        lacking.Remove("coupon");
        response = await client.PostAsJsonAsync("/quality/score", new JsonObject { ["rows"] = new JsonArray(lacking) });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("rows[0] lacks the model's input column 'coupon'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        response = await client.PostAsync("/quality/score", new StringContent("not json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        // Feedback is durable and deduplicated; /status counts it as pending for the learner.
        response = await client.PostAsJsonAsync("/quality/feedback", ServeLifecycleTests.Feedback(0, 5));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(5, (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["accepted"]!);
        response = await client.PostAsJsonAsync("/quality/feedback", ServeLifecycleTests.Feedback(0, 5));
        Assert.Equal(5, (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["duplicates"]!);
        response = await client.PostAsJsonAsync("/quality/feedback", new JsonObject { ["records"] = new JsonArray(new JsonObject { ["id"] = "x", ["row"] = lacking.DeepClone(), ["approved"] = true }) });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("records[0].row lacks", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var status = JsonNode.Parse(await client.GetStringAsync("/quality/status"))!;
        Assert.Equal(version, (string?)status["version"]);

        // Health is the PatternQuality check only, as JSON.
        response = await client.GetAsync("/quality/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains((string?)health["status"], new[] { "Healthy", "Degraded" });
        Assert.NotNull(health["checks"]![Microsoft.Extensions.DependencyInjection.PatternQualityHostingExtensions.HealthCheckName]);

        // Nothing is mapped outside the group.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/status")).StatusCode);
    }

    [Fact]
    public async Task TypedPatterns_AreReadWithTheAppsJsonOptions_AndNoModelIsA503ThatSaysWhy()
    {
        using var directory = new TempStore();
        await using var host = new TypedHost(Path.Combine(directory.Root, "quality.db"));
        using var client = host.CreateClient();

        var response = await client.PostAsJsonAsync("/score", new { rows = new[] { new { genre = "Drama", year = 1999.0 } } });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("no model yet", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        response = await client.PostAsJsonAsync("/feedback", new
        {
            records = new object[]
            {
                new { id = "a", row = new { genre = "Drama", year = 1999.0 }, approved = true, userId = "u1", timestamp = "2026-11-29T04:00:00Z" },
                new { id = "b", row = new { genre = "Horror", year = (double?)null }, approved = false },
            },
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["accepted"]!);

        response = await client.PostAsJsonAsync("/feedback", new { records = new object[] { new { id = "c", row = new { year = "not a number" }, approved = true } } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("records[0].row is not a Movie", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        response = await client.PostAsJsonAsync("/feedback", new { records = new object[] { new { row = new { year = 1.0 }, approved = true } } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        var status = JsonNode.Parse(await client.GetStringAsync("/status"))!;
        Assert.Null((string?)status["version"]);
        Assert.Equal(2, (long)status["pending"]!);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health")).StatusCode);

        // Two records of one outcome each are too few to train on: the retrain is refused, not a 500.
        response = await client.PostAsync("/retrain", null);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public void WithoutTheHostedLifecycle_MappingFailsNamingTheRegistration()
    {
        var builder = WebApplication.CreateSlimBuilder();
        using var app = builder.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => app.MapPatternQuality<Movie>());

        Assert.Contains("AddHostedLifecycle", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>A pattern type of a host app.</summary>
    public sealed record Movie(string? Genre, double? Year);

    /// <summary>An app whose patterns are rows of named columns, on a file store with a coupon model.</summary>
    private sealed class RowHost(string directory) : WebApplicationFactory<RowHost>
    {
        protected override IHostBuilder CreateHostBuilder() => Host.CreateDefaultBuilder().ConfigureWebHostDefaults(web => web
            .ConfigureServices(services =>
            {
                var store = new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = directory });
                using var versions = new PatternQuality.Versioning.ModelVersionManager(store);
                var model = QualityModel.Load(versions.LoadActiveAsync().GetAwaiter().GetResult()!);
                services.AddRouting();
                services.AddPatternQuality<Row>().UseFeatureExtractor(model.CreateRowExtractor()).UseModelStore(store).AddHostedLifecycle();
            })
            .Configure(app => app.UseRouting().UseEndpoints(endpoints => endpoints.MapGroup("/quality").MapPatternQuality<Row>())));

        // The test assembly is not a web project: its output directory is the content root.
        protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseContentRoot(AppContext.BaseDirectory);
    }

    /// <summary>An app with a pattern type of its own, no model yet, on the default SQLite store at a path it chooses.</summary>
    private sealed class TypedHost(string database) : WebApplicationFactory<TypedHost>
    {
        protected override IHostBuilder CreateHostBuilder() => Host.CreateDefaultBuilder().ConfigureWebHostDefaults(web => web
            .ConfigureServices(services =>
            {
                var extractor = new FeatureExtractorBuilder<Movie>().Categorical("genre", m => m.Genre, ["Drama", "Horror"]).Numeric("year", m => m.Year).Build();
                services.AddRouting();
                services.AddPatternQuality<Movie>().UseFeatureExtractor(extractor).AddHostedLifecycle(o => o.DatabasePath = database);
            })
            .Configure(app => app.UseRouting().UseEndpoints(endpoints => endpoints.MapPatternQuality<Movie>())));

        protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseContentRoot(AppContext.BaseDirectory);
    }
}
