using System.Text.Json;
using PatternQuality.Storage;
using PatternQuality.Storage.PostgreSql;
using PatternQuality.Storage.Sqlite;
using PatternQuality.Tests.Storage;
using PatternQuality.Tests.Storage.PostgreSql;
using static PatternQuality.Tests.Cli.CliRunner;

namespace PatternQuality.Tests.Issues;

public sealed partial class IssueTests
{
    /// <summary>
    /// Issue 13, "Done when": the pipeline that works on a directory works unchanged with <c>--store sqlite:PATH</c> and
    /// with a PostgreSQL URL. The same <c>pq</c> commands on each: train (promoted), train the same model again (the gate
    /// rejects it: nothing improves), promote it by hand, roll back, then damage its bytes
    /// behind the store's back: promoting it is refused naming the store, and the active version keeps serving
    /// (<c>pq evaluate</c> scores with it).
    /// </summary>
    [Theory]
    [InlineData("directory")]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task PipelineTrainGatePromoteRollbackDamage_SameOnEveryStore_13(string kind)
    {
        if (kind == "postgresql" && PostgreSqlTestServer.Skip(nameof(PipelineTrainGatePromoteRollbackDamage_SameOnEveryStore_13)))
        {
            return;
        }

        var schema = PostgreSqlTestServer.NewSchema();
        var (store, open) = kind switch
        {
            "directory" => (_dir.Combine("pipeline"), () => (IModelStore)new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = _dir.Combine("pipeline") })),
            "sqlite" => (SqliteModelStoreOptions.LocationPrefix + _dir.Combine("pipeline.db"), () => new SqliteModelStore(new SqliteModelStoreOptions { DatabasePath = _dir.Combine("pipeline.db") })),
            _ => (PostgreSqlUrl(schema), (Func<IModelStore>)(() => new PostgreSqlModelStore(PostgreSqlOptions(PostgreSqlUrl(schema))))),
        };
        if (kind == "directory")
        {
            Directory.CreateDirectory(store);
        }

        try
        {
            string[] train = ["train", "--store", store, .. Cli.TempStore.CouponFlags, "--trees", "5", "--leaves", "8", "--calibration", "none", "--json"];
            var first = Json(Run(train));
            Assert.True(first.GetProperty("promoted").GetBoolean());
            var v1 = first.GetProperty("version").GetString()!;

            // The gate: the same data, seed and settings give the same model, which does not beat the champion.
            var second = Json(Run(train));
            Assert.False(second.GetProperty("promoted").GetBoolean());
            Assert.Contains("Rejected", second.GetProperty("decision").GetString(), StringComparison.Ordinal);
            var v2 = second.GetProperty("version").GetString()!;
            Assert.Equal(v1, await ActiveAsync(open()));

            Assert.Equal(v2, Json(Run("promote", "--store", store, "--version", v2, "--json")).GetProperty("active").GetString());
            Assert.Equal(v1, Json(Run("rollback", "--store", store, "--json")).GetProperty("active").GetString());

            // Damage v2 behind the store's back: refused naming the store; v1 keeps serving.
            DamageVersion(kind, store, schema, v2);
            var refused = Run("promote", "--store", store, "--version", v2, "--json");
            Assert.NotEqual(0, refused.Code);
            Assert.Contains(kind switch { "postgresql" => $"{schema}.ml_models", "sqlite" => _dir.Combine("pipeline.db"), _ => v2 + ".pqm" }, refused.Err, StringComparison.Ordinal);
            Assert.Equal(v1, await ActiveAsync(open()));

            var evaluate = Run(["evaluate", "--store", store, .. Cli.TempStore.CouponFlags, "--json"]);
            Assert.True(evaluate.Code == 0, evaluate.Err);
            Assert.Equal(v1, Json(evaluate).GetProperty("version").GetString());
        }
        finally
        {
            if (kind == "postgresql")
            {
                PostgreSqlTestServer.DropSchema(schema);
            }
        }

        static async Task<string?> ActiveAsync(IModelStore models)
        {
            try
            {
                return await models.GetActiveVersionAsync();
            }
            finally
            {
                (models as IDisposable)?.Dispose();
            }
        }

        static JsonElement Json((int Code, string Out, string Err) result)
        {
            Assert.True(result.Code == 0, result.Err);
            using var doc = JsonDocument.Parse(result.Out);
            return doc.RootElement.Clone();
        }

        static string PostgreSqlUrl(string schema)
        {
            return PostgreSqlTestServer.StoreUrl(schema);
        }

        static PostgreSqlModelStoreOptions PostgreSqlOptions(string url) =>
            PostgreSqlModelStoreOptions.TryParseLocation(url, out var options) ? options : throw new InvalidOperationException(url);
    }

    private void DamageVersion(string kind, string store, string schema, string version)
    {
        switch (kind)
        {
            case "directory":
                var file = Path.Combine(store, "models", version + ".pqm");
                var bytes = File.ReadAllBytes(file);
                bytes[100] ^= 90;
                File.WriteAllBytes(file, bytes);
                break;
            case "sqlite":
                SqliteTestDatabase.Execute(_dir.Combine("pipeline.db"), $"UPDATE pq_models SET content = CAST(zeroblob(length(content)) AS BLOB) WHERE version = '{version}';");
                break;
            default:
                PostgreSqlTestServer.Execute($"UPDATE \"{schema}\".ml_models SET model_data = set_byte(model_data, 100, get_byte(model_data, 100) # 90) WHERE version = '{version}';");
                break;
        }
    }
}
