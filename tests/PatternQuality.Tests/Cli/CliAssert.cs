using System.Text.Json;

namespace PatternQuality.Tests.Cli;

internal static class CliAssert
{
    public static readonly string[] MetricKeys = ["auc", "pr_auc", "accuracy", "precision", "recall", "f1", "logloss", "brier", "ece"];

    /// <summary>The contract's metrics object: exactly these nine keys, each a number.</summary>
    public static void HasMetrics(JsonElement metrics)
    {
        Assert.Equal(MetricKeys, metrics.EnumerateObject().Select(p => p.Name));
        foreach (var key in MetricKeys)
        {
            Assert.Equal(JsonValueKind.Number, metrics.GetProperty(key).ValueKind);
        }
    }
}
