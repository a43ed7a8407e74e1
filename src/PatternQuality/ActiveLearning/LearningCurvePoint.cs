using System.Text.Json.Serialization;
using PatternQuality.Internal;

namespace PatternQuality.ActiveLearning;

/// <summary>One point of a learning curve: test AUC after a number of labels, over the simulation's seeds.</summary>
/// <param name="Labels">How many labels the model was trained on.</param>
/// <param name="Auc">The mean test AUC over the seeds.</param>
/// <param name="AucStandardDeviation">The standard deviation of the test AUC over the seeds (0 with one seed).</param>
public readonly record struct LearningCurvePoint(
    int Labels,
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double Auc,
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double AucStandardDeviation);
