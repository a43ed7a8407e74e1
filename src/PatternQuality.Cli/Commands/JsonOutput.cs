using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using PatternQuality.Evaluation;

namespace PatternQuality.Cli.Commands;

/// <summary>Writes the one JSON object a <c>--json</c> command prints; the field names are a public contract.</summary>
internal static class JsonOutput
{
    /// <summary>The metric keys every metrics object has, in this order.</summary>
    public static readonly string[] MetricKeys =
    [
        MetricNames.Auc, MetricNames.PrAuc, MetricNames.Accuracy, MetricNames.Precision, MetricNames.Recall,
        MetricNames.F1, MetricNames.LogLoss, MetricNames.Brier, MetricNames.Ece,
    ];

    /// <summary>The ranking metric keys a metrics object adds when the model ranks (or the data has query groups), in this order.</summary>
    public static readonly string[] RankingKeys =
    [
        MetricNames.Ndcg(1), MetricNames.Ndcg(3), MetricNames.Ndcg(5),
        MetricNames.NdcgExponential(1), MetricNames.NdcgExponential(3), MetricNames.NdcgExponential(5),
        MetricNames.MeanAveragePrecision, MetricNames.MeanReciprocalRank,
    ];

    // Relaxed escaping: the output is read by programs and people, not embedded in HTML, so '+' and accents stay as they are.
    private static readonly JsonSerializerOptions _compact = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Option<bool> CreateOption() => new("--json") { Description = "Print one JSON object and nothing else on stdout." };

    public static void Write(TextWriter stdout, JsonObject value) => stdout.WriteLine(value.ToJsonString(_compact));

    /// <summary>
    /// The contract's metrics object: exactly <see cref="MetricKeys"/>, a metric that could not be computed as null,
    /// followed by <see cref="RankingKeys"/> when the metrics have NDCG (a ranking model or data with query groups).
    /// </summary>
    public static JsonObject Metrics(IReadOnlyDictionary<string, double> metrics)
    {
        var o = new JsonObject();
        foreach (var key in MetricKeys)
        {
            o[key] = metrics.TryGetValue(key, out var v) ? Number(v) : null;
        }

        if (metrics.ContainsKey(MetricNames.Ndcg(1)))
        {
            foreach (var key in RankingKeys)
            {
                o[key] = metrics.TryGetValue(key, out var v) ? Number(v) : null;
            }
        }

        return o;
    }

    /// <summary>All metrics a version recorded, under their own names (NaN and infinities as null, which JSON cannot hold).</summary>
    public static JsonObject AllMetrics(IReadOnlyDictionary<string, double> metrics)
    {
        var o = new JsonObject();
        foreach (var (key, value) in metrics)
        {
            o[key] = Number(value);
        }

        return o;
    }

    public static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;
}
