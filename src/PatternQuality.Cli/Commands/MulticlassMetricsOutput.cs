using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using PatternQuality.Evaluation;
using PatternQuality.Scoring;
using Spectre.Console;

namespace PatternQuality.Cli.Commands;

/// <summary>Multiclass metrics as <c>pq train</c>, <c>pq evaluate</c> and <c>pq report</c> print them (JSON and tables), and <c>pq evaluate</c>'s multiclass path.</summary>
internal static class MulticlassMetricsOutput
{
    /// <summary>Multiclass log loss, accuracy and macro-F1 of probabilities (class-major per row) against labels.</summary>
    public static Dictionary<string, double> Metrics(ReadOnlySpan<float> labels, float[] probabilities, int k) => new(StringComparer.Ordinal)
    {
        [MetricNames.LogLoss] = MulticlassMetrics.LogLoss(labels, probabilities, k),
        [MetricNames.Accuracy] = MulticlassMetrics.Accuracy(labels, probabilities, k),
        [MetricNames.MacroF1] = MulticlassMetrics.MacroF1(labels, probabilities, k),
    };

    /// <summary><c>pq evaluate</c> of a multiclass version: the file's label column read with the model's class names.</summary>
    public static int Evaluate(TextWriter stdout, DataArguments data, ParseResult result, string version, MulticlassQualityModel model, bool asJson, CancellationToken cancellationToken)
    {
        var path = result.GetValue(data.Data)!;
        var load = MulticlassRows.LoadLabelled(data, result, version, model, cancellationToken);
        var k = model.ClassCount;
        var probabilities = new float[load.Dataset.RowCount * k];
        model.PredictProbabilities(load.Dataset.Features.Span, probabilities);
        var labels = load.Dataset.Labels.Span;
        var metrics = Metrics(labels, probabilities, k);
        var perClass = MulticlassMetrics.PerClass(labels, probabilities, k);
        if (asJson)
        {
            JsonOutput.Write(stdout, new JsonObject
            {
                ["version"] = version,
                ["rows"] = load.Dataset.RowCount,
                ["objective"] = "multiclass",
                ["metrics"] = MetricsJson(metrics),
                ["per_class"] = PerClassJson(model.ClassNames, perClass),
                ["confusion"] = new JsonArray([.. MulticlassMetrics.ConfusionCounts(labels, probabilities, k).Select(row => (JsonNode)new JsonArray([.. row.Select(v => (JsonNode)v)]))]),
            });
        }
        else
        {
            var console = HumanOutput.Create(stdout);
            console.WriteLine($"Multiclass version {version} on {path}: {load.Dataset.RowCount.ToString("N0", CultureInfo.InvariantCulture)} rows");
            WriteHuman(console, metrics, model.ClassNames, perClass);
        }

        return 0;
    }

    public static JsonObject MetricsJson(IReadOnlyDictionary<string, double> metrics) => new()
    {
        [MetricNames.LogLoss] = JsonOutput.Number(metrics[MetricNames.LogLoss]),
        [MetricNames.Accuracy] = JsonOutput.Number(metrics[MetricNames.Accuracy]),
        [MetricNames.MacroF1] = JsonOutput.Number(metrics[MetricNames.MacroF1]),
    };

    public static JsonObject PerClassJson(IReadOnlyList<string> names, IReadOnlyList<ClassMetrics> perClass)
    {
        var o = new JsonObject();
        foreach (var c in perClass)
        {
            o[names[c.Class]] = new JsonObject
            {
                [MetricNames.Precision] = JsonOutput.Number(c.Precision),
                [MetricNames.Recall] = JsonOutput.Number(c.Recall),
                [MetricNames.F1] = JsonOutput.Number(c.F1),
                ["support"] = c.Support,
            };
        }

        return o;
    }

    public static void WriteHuman(IAnsiConsole console, IReadOnlyDictionary<string, double> metrics, IReadOnlyList<string> names, IReadOnlyList<ClassMetrics> perClass)
    {
        var table = new Table().AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        foreach (var key in new[] { MetricNames.LogLoss, MetricNames.Accuracy, MetricNames.MacroF1 })
        {
            table.AddRow(key, HumanOutput.Format(metrics[key]));
        }

        console.Write(table);
        var classes = new Table().AddColumn("class").AddColumn(new TableColumn("precision").RightAligned()).AddColumn(new TableColumn("recall").RightAligned())
            .AddColumn(new TableColumn("f1").RightAligned()).AddColumn(new TableColumn("support").RightAligned());
        foreach (var c in perClass)
        {
            classes.AddRow(Markup.Escape(names[c.Class]), HumanOutput.Format(c.Precision), HumanOutput.Format(c.Recall), HumanOutput.Format(c.F1), c.Support.ToString(CultureInfo.InvariantCulture));
        }

        console.Write(classes);
    }
}
