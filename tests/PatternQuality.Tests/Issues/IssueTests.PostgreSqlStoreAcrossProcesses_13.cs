using System.Text.Json;
using PatternQuality.Scoring;
using PatternQuality.Storage.PostgreSql;
using PatternQuality.Tests.Storage.PostgreSql;
using static PatternQuality.Tests.Cli.CliRunner;

namespace PatternQuality.Tests.Issues;

public sealed partial class IssueTests
{
    /// <summary>
    /// Issue 13 (items 2, 5): the pipeline that works on a directory works unchanged with a PostgreSQL URL: two real
    /// <c>pq train</c> processes on one database both land their versions, then versions, promote, rollback, and a
    /// damaged version refused while the active one keeps serving; an Npgsql connection string names the same store.
    /// </summary>
    [Fact]
    public async Task PostgreSqlStoreFromTwoProcesses_13()
    {
        if (PostgreSqlTestServer.Skip(nameof(PostgreSqlStoreFromTwoProcesses_13)))
        {
            return;
        }

        var schema = PostgreSqlTestServer.NewSchema();
        try
        {
            var store = PostgreSqlTestServer.StoreUrl(schema);
            var first = Start(store, seed: 1);
            var second = Start(store, seed: 2);
            var outputs = await Task.WhenAll(WaitAsync(first), WaitAsync(second));

            Assert.All(outputs, o => Assert.True(o.ExitCode == 0, $"pq train failed ({o.ExitCode}): {o.Error}"));
            Assert.True(PostgreSqlModelStoreOptions.TryParseLocation(store, out var options));
            await using var reader = new PostgreSqlModelStore(options);
            var versions = (await reader.ListAsync()).Select(v => v.Version).ToArray();
            Assert.Equal(2, versions.Distinct().Count());
            foreach (var v in versions)
            {
                Assert.Equal("gbdt", QualityModel.Load((await reader.LoadAsync(v)).Content.ToArray()).Info.Trainer);
            }

            Assert.Equal(0, Run("promote", "--store", store, "--version", versions[0], "--json").Code);
            Assert.Equal(0, Run("promote", "--store", store, "--version", versions[1], "--json").Code);
            var rollback = Run("rollback", "--store", store, "--json");
            Assert.True(rollback.Code == 0, rollback.Err);
            using (var doc = JsonDocument.Parse(rollback.Out))
            {
                Assert.Equal(versions[0], doc.RootElement.GetProperty("active").GetString());
            }

            // Damage the other version behind the store's back: promoting it is refused naming the store, and the
            // active version keeps serving.
            PostgreSqlTestServer.Execute($"UPDATE \"{schema}\".ml_models SET model_data = set_byte(model_data, 100, get_byte(model_data, 100) # 90) WHERE version = '{versions[1]}';");
            var refused = Run("promote", "--store", store, "--version", versions[1], "--json");
            Assert.NotEqual(0, refused.Code);
            Assert.Contains(reader.Location, refused.Err, StringComparison.Ordinal);
            Assert.Equal(versions[0], await reader.GetActiveVersionAsync());
            var evaluate = Run(["evaluate", "--store", store, .. Cli.TempStore.CouponFlags, "--json"]);
            Assert.True(evaluate.Code == 0, evaluate.Err);

            // The same store named by an Npgsql connection string (the schema from the URL is the store's namespace,
            // so a connection string with another search_path would not see it: the URL parameter names it).
            var listed = Run("versions", "--store", store, "--json");
            Assert.Equal(0, listed.Code);
            Assert.All(versions, v => Assert.Contains(v, listed.Out, StringComparison.Ordinal));
            var other = Run("versions", "--store", PostgreSqlTestServer.ConnectionString!, "--json");
            Assert.True(other.Code == 0, other.Err);
            Assert.DoesNotContain(versions[0], other.Out, StringComparison.Ordinal);
        }
        finally
        {
            PostgreSqlTestServer.DropSchema(schema);
        }
    }

    [Fact]
    public void PostgreSqlStoreLocation_Unreachable_ExitsOneNamingTheStoreNotThePassword_13()
    {
        var (code, stdout, stderr) = Run("versions", "--store", "postgresql://pq:s3cret@127.0.0.1:1/models?timeout=3", "--json");

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains("postgresql://pq@127.0.0.1:1/models", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", stderr, StringComparison.Ordinal);
    }
}
