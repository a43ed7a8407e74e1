using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using PatternQuality.Evaluation;
using PatternQuality.Internal;
using PatternQuality.Online;
using PatternQuality.Versioning;

namespace PatternQuality.Tests.Telemetry;

/// <summary>
/// Issue 10 item 5: every public metrics type serializes with System.Text.Json's defaults although NaN means
/// "undefined" in them (System.Text.Json throws on NaN unless told otherwise): NaN and infinities are written as null.
/// </summary>
public sealed class MetricsJsonTests
{
    // The public types that carry metrics; the discovery test below fails when a new one is not listed here.
    private static readonly Type[] MetricsTypes =
    [
        typeof(PrequentialMetrics), typeof(BinaryEvaluation), typeof(BestF1), typeof(ReliabilityBin), typeof(ReliabilityDiagram),
        typeof(ConfusionMatrix), typeof(IncrementalUpdateResult), typeof(PatternQuality.Training.TrainingReport),
        typeof(PatternQuality.Training.TrainingDataSummary), typeof(PromotionDecision), typeof(PatternQuality.Validation.CrossValidationResult),
        typeof(PatternQuality.Validation.FoldResult), typeof(PatternQuality.Validation.PermutationImportanceResult), typeof(PatternQuality.Validation.PermutationFeatureImportance),
        typeof(PatternQuality.ActiveLearning.LearningCurvePoint), typeof(PatternQuality.Trees.FeatureImportance), typeof(ClassMetrics),
        typeof(ReplayMetrics), typeof(ReplaySimulationResult), typeof(PatternQuality.Training.MulticlassTrainingResult),
    ];

    [Fact]
    public void PrequentialMetrics_BeforeAnyRecord_SerializesNaNAsNullAndReadsItBack()
    {
        var metrics = new PrequentialEvaluator(100).GetMetrics();
        Assert.True(double.IsNaN(metrics.Auc));

        var json = JsonSerializer.Serialize(metrics);

        Assert.Contains("\"Auc\":null", json, StringComparison.Ordinal);
        Assert.Equal(metrics, JsonSerializer.Deserialize<PrequentialMetrics>(json));
    }

    [Fact]
    public void DegenerateEvaluations_SerializeWithDefaultOptions()
    {
        float[] labels = [1, 1, 1];
        float[] scores = [0.2f, 0.5f, 0.9f];
        var evaluation = BinaryEvaluation.Compute(labels, scores); // one class: AUC is NaN
        Assert.True(double.IsNaN(evaluation.Auc));

        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var json = JsonSerializer.Serialize(evaluation, web);
        Assert.Contains("\"auc\":null", json, StringComparison.Ordinal);
        var back = JsonSerializer.Deserialize<BinaryEvaluation>(json, web)!;
        Assert.True(double.IsNaN(back.Auc));
        Assert.Equal(evaluation.LogLoss, back.LogLoss);

        Assert.Contains("\"Accuracy\":null", JsonSerializer.Serialize(new ConfusionMatrix(0, 0, 0, 0)), StringComparison.Ordinal);
        Assert.Contains("\"ChampionAuc\":null", JsonSerializer.Serialize(new PromotionDecision(true, "no champion")), StringComparison.Ordinal);
        Assert.Contains("\"CurrentLoss\":null", JsonSerializer.Serialize(new IncrementalUpdateResult()), StringComparison.Ordinal);
        Assert.Contains("\"Auc\":null", JsonSerializer.Serialize(new PatternQuality.ActiveLearning.LearningCurvePoint(10, double.NaN, double.PositiveInfinity)), StringComparison.Ordinal);
    }

    [Fact]
    public void Dictionaries_NonFiniteValues_AreNull_AndReadBack()
    {
        var options = new JsonSerializerOptions { Converters = { new NonFiniteAsNullJsonConverter() } };
        IReadOnlyDictionary<string, double> metrics = new Dictionary<string, double> { ["auc"] = double.NaN, ["logloss"] = 0.5, ["ece"] = double.NegativeInfinity };

        var json = JsonSerializer.Serialize(metrics, options);

        Assert.Equal("{\"auc\":null,\"logloss\":0.5,\"ece\":null}", json);
        var back = JsonSerializer.Deserialize<IReadOnlyDictionary<string, double>>(json, options)!;
        Assert.True(double.IsNaN(back["auc"]));
        Assert.Equal(0.5, back["logloss"]);
        Assert.True(double.IsNaN(JsonSerializer.Deserialize<IReadOnlyDictionary<string, double>>("{\"x\":\"NaN\"}", options)!["x"]));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<IReadOnlyDictionary<string, double>>("{\"x\":\"many\"}", options));
        Assert.Equal("[null,1.5,null]", JsonSerializer.Serialize(new float?[] { float.NaN, 1.5f, null }, options));
        Assert.Equal(float.PositiveInfinity, JsonSerializer.Deserialize<float>("\"Infinity\"", options));
    }

    [Fact]
    public void EveryFloatingPointPropertyOfAMetricsType_IsNaNSafe()
    {
        var unsafeProperties = MetricsTypes
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => (Type: t, Property: p)))
            .Where(x => new NonFiniteAsNullJsonConverter().CanConvert(x.Property.PropertyType))
            .Where(x => x.Property.GetCustomAttribute<JsonConverterAttribute>()?.ConverterType != typeof(NonFiniteAsNullJsonConverter))
            .Select(x => $"{x.Type.Name}.{x.Property.Name}")
            .ToArray();

        Assert.True(unsafeProperties.Length == 0, "Not NaN-safe: " + string.Join(", ", unsafeProperties));
    }

    [Fact]
    public void MetricsTypes_AreAllListed()
    {
        string[] suffixes = ["Metrics", "Evaluation", "Result", "Report", "Decision", "Point", "Bin", "Diagram", "Summary", "Importance", "Matrix", "F1"];
        string[] namespaces = ["Evaluation", "Online", "Training", "Versioning", "Validation", "ActiveLearning", "Trees"];
        var unlisted = typeof(PrequentialMetrics).Assembly.GetExportedTypes()
            .Where(t => !t.IsAbstract && !t.IsInterface && !t.IsEnum && !t.IsGenericTypeDefinition)
            .Where(t => namespaces.Any(n => t.Namespace == "PatternQuality." + n) && suffixes.Any(s => t.Name.EndsWith(s, StringComparison.Ordinal)))
            .Where(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p => new NonFiniteAsNullJsonConverter().CanConvert(p.PropertyType)))
            .Where(t => !MetricsTypes.Contains(t))
            .Select(t => t.FullName)
            .ToArray();

        Assert.True(unlisted.Length == 0, "Metrics types with floating-point properties not checked for NaN-safe JSON: " + string.Join(", ", unlisted));
    }
}
