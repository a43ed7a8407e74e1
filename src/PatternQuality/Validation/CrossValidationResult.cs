using System.Text.Json.Serialization;
using PatternQuality.Internal;

namespace PatternQuality.Validation;

/// <summary>The outcome of a cross-validation: per-fold metrics, their mean and spread, and the out-of-fold predictions.</summary>
public sealed class CrossValidationResult
{
    internal CrossValidationResult(IReadOnlyList<FoldResult> folds, float[] outOfFold, IReadOnlyList<string> warnings)
    {
        Folds = folds;
        OutOfFoldProbabilities = outOfFold;
        Warnings = warnings;
        var mean = new Dictionary<string, double>(StringComparer.Ordinal);
        var std = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var name in folds[0].Metrics.Keys)
        {
            var values = folds.Select(f => f.Metrics[name]).Where(v => !double.IsNaN(v)).ToArray();
            var m = values.Length > 0 ? values.Average() : double.NaN;
            mean[name] = m;
            std[name] = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - m) * (v - m)) / (values.Length - 1)) : double.NaN;
        }

        Mean = mean;
        StandardDeviation = std;
    }

    /// <summary>Gets the per-fold results in fold order.</summary>
    public IReadOnlyList<FoldResult> Folds { get; }

    /// <summary>Gets each metric's mean over the folds where it is defined (NaN folds, such as AUC of a one-class fold, are left out).</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public IReadOnlyDictionary<string, double> Mean { get; }

    /// <summary>Gets each metric's sample standard deviation (n - 1) over the folds where it is defined; NaN with fewer than two.</summary>
    [JsonConverter(typeof(NonFiniteAsNullJsonConverter))]
    public IReadOnlyDictionary<string, double> StandardDeviation { get; }

    /// <summary>Gets every row's prediction from the model that did not train on it, in dataset row order: what calibrators are fitted on.</summary>
    public IReadOnlyList<float> OutOfFoldProbabilities { get; }

    /// <summary>Gets warnings from the folds, prefixed with the fold number.</summary>
    public IReadOnlyList<string> Warnings { get; }
}
