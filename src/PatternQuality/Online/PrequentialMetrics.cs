using System.Text.Json.Serialization;
using PatternQuality.Internal;

namespace PatternQuality.Online;

/// <summary>
/// Prequential (test-then-train) metrics: each record scored by the model of the moment, before that model learned
/// from it. A point-in-time copy from <see cref="PrequentialEvaluator.GetMetrics"/>.
/// </summary>
/// <param name="WindowCount">How many records the rolling window holds (at most <see cref="PrequentialEvaluator.WindowSize"/>).</param>
/// <param name="TotalCount">How many records have been evaluated since the start or the last reset.</param>
/// <param name="LogLoss">The mean log loss over the window; NaN when it is empty.</param>
/// <param name="Auc">The ROC AUC over the window; NaN when it holds fewer than one record of each class.</param>
/// <param name="Brier">The mean squared error of the probability over the window; NaN when it is empty.</param>
/// <param name="PositiveRate">The share of approvals in the window; NaN when it is empty.</param>
/// <param name="CumulativeLogLoss">The mean log loss over every record since the start or the last reset; NaN before the first.</param>
public sealed record PrequentialMetrics(
    int WindowCount,
    long TotalCount,
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double LogLoss,
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double Auc,
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double Brier,
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double PositiveRate,
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double CumulativeLogLoss);
