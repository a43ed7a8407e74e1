using System.Text.Json;
using PatternQuality.Scoring;
using PatternQuality.Storage.Sqlite;
using PatternQuality.Tests.Storage;
using PatternQuality.Tests.TestUtils;
using static PatternQuality.Tests.Cli.CliRunner;

namespace PatternQuality.Tests.Issues;

public sealed partial class IssueTests
{
    /// <summary>
    /// Issue 13 (items 1, 3, 5): the pipeline that works on a directory works unchanged with <c>--store sqlite:PATH</c>:
    /// two real <c>pq train</c> processes on one database both land their versions, then versions, rollback, and a
    /// damaged version refused while the active one keeps serving.
    /// </summary>
    [Fact]
    public async Task SqliteStoreFromTwoProcesses_13()
    {
        var db = _dir.Combine("models.db");
        var store = SqliteModelStoreOptions.LocationPrefix + db;
        var first = Start(store, seed: 1);
        var second = Start(store, seed: 2);
        var outputs = await Task.WhenAll(WaitAsync(first), WaitAsync(second));

        Assert.All(outputs, o => Assert.True(o.ExitCode == 0, $"pq train failed ({o.ExitCode}): {o.Error}"));
        using var reader = new SqliteModelStore(new SqliteModelStoreOptions { DatabasePath = db });
        var versions = (await reader.ListAsync()).Select(v => v.Version).ToArray();
        Assert.Equal(2, versions.Distinct().Count());
        foreach (var v in versions)
        {
            Assert.Equal("gbdt", QualityModel.Load((await reader.LoadAsync(v)).Content.ToArray()).Info.Trainer);
        }

        // Make the first version active, then the second, so a rollback has somewhere to go.
        Assert.Equal(0, Run("promote", "--store", store, "--version", versions[0], "--json").Code);
        Assert.Equal(0, Run("promote", "--store", store, "--version", versions[1], "--json").Code);
        var rollback = Run("rollback", "--store", store, "--json");
        Assert.True(rollback.Code == 0, rollback.Err);
        using (var doc = JsonDocument.Parse(rollback.Out))
        {
            Assert.Equal(versions[0], doc.RootElement.GetProperty("active").GetString());
        }

        // Damage the other version behind the store's back: promoting it is refused naming the database, and the
        // active version keeps serving.
        SqliteTestDatabase.Execute(db, $"UPDATE pq_models SET content = CAST(zeroblob(length(content)) AS BLOB) WHERE version = '{versions[1]}';");
        var refused = Run("promote", "--store", store, "--version", versions[1], "--json");
        Assert.NotEqual(0, refused.Code);
        Assert.Contains(db, refused.Err, StringComparison.Ordinal);
        Assert.Equal(versions[0], await reader.GetActiveVersionAsync());
        var evaluate = Run(["evaluate", "--store", store, .. Cli.TempStore.CouponFlags, "--json"]);
        Assert.True(evaluate.Code == 0, evaluate.Err);

        var listed = Run("versions", "--store", store, "--json");
        Assert.Equal(0, listed.Code);
        Assert.All(versions, v => Assert.Contains(v, listed.Out, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("missing.db", "does not exist")]
    [InlineData("no-such-folder/models.db", "does not exist")]
    [InlineData("", "SqliteModelStoreOptions.DatabasePath")]
    public void SqliteStoreLocation_Unusable_ExitsOneNamingTheProblem_13(string path, string expected)
    {
        var location = SqliteModelStoreOptions.LocationPrefix + (path.Length == 0 ? "" : _dir.Combine(path));

        var (code, stdout, stderr) = Run("versions", "--store", location, "--json");

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.Combine(path.Length == 0 ? "x" : path)));
    }

    [Fact]
    public void SqliteStoreLocation_Parsing_13()
    {
        Assert.False(SqliteModelStoreOptions.TryParseLocation("/var/models", out var none));
        Assert.Null(none);
        Assert.True(SqliteModelStoreOptions.TryParseLocation("SQLite:data/models.db", out var options));
        Assert.Equal("data/models.db", options.DatabasePath);
        Assert.Throws<ArgumentException>(() => SqliteModelStoreOptions.TryParseLocation("sqlite::memory:", out _));
        Assert.Throws<ArgumentNullException>(() => SqliteModelStoreOptions.TryParseLocation(null!, out _));
    }
}
