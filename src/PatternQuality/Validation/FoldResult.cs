using System.Text.Json.Serialization;
using PatternQuality.Evaluation;
using PatternQuality.Internal;

namespace PatternQuality.Validation;

/// <summary>The evaluation of one cross-validation fold.</summary>
/// <param name="Index">The fold number, from 0.</param>
/// <param name="TrainCount">Rows trained on.</param>
/// <param name="TestCount">Rows evaluated.</param>
/// <param name="Evaluation">All metrics of the held-out rows (with warnings such as a single-class fold).</param>
public sealed record FoldResult(int Index, int TrainCount, int TestCount, BinaryEvaluation Evaluation)
{
    /// <summary>Gets the headline metrics by their stable names (see <see cref="BinaryEvaluation.ToDictionary"/>).</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public IReadOnlyDictionary<string, double> Metrics { get; } = Evaluation.ToDictionary();
}
