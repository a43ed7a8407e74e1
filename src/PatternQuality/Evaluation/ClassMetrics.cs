using System.Text.Json.Serialization;
using PatternQuality.Internal;

namespace PatternQuality.Evaluation;

/// <summary>One class's precision, recall and F1 on a multiclass evaluation (see <see cref="MulticlassMetrics.PerClass"/>).</summary>
/// <param name="Class">The class index.</param>
/// <param name="Precision">Of the rows predicted as this class, the share that are.</param>
/// <param name="Recall">Of the rows of this class, the share predicted as it.</param>
/// <param name="F1">The harmonic mean of precision and recall (0 when both are 0).</param>
/// <param name="Support">The number of rows of this class.</param>
public sealed record ClassMetrics(
    int Class,
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double Precision,
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double Recall,
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double F1,
    int Support);
