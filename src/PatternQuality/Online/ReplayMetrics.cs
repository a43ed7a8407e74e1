using System.Text.Json.Serialization;
using PatternQuality.Internal;

namespace PatternQuality.Online;

/// <summary>Prequential quality of one contender of a <see cref="ReplaySimulation"/> over every streamed row.</summary>
/// <param name="Auc">Area under the ROC curve; <see cref="double.NaN"/> when the streamed rows hold one class only.</param>
/// <param name="LogLoss">Mean log loss of the calibrated probabilities.</param>
public readonly record struct ReplayMetrics(
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double Auc,
    [property: JsonConverter(typeof(NonFiniteAsNullJsonConverter))] double LogLoss);
