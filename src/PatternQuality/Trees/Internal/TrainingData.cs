using PatternQuality.Data;

namespace PatternQuality.Trees.Internal;

/// <summary>Checks a training set up front so bad input fails with a clear message instead of deep in the learner.</summary>
internal static class TrainingData
{
    /// <summary>Returns the row weights (sample weight times class weight) after checking labels and weights.</summary>
    public static float[] CheckAndWeigh(Dataset data, IObjective objective, int classCount, ClassWeighting weighting, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(data, parameterName);
        if (data.RowCount == 0)
        {
            throw new ArgumentException("The training set has no rows.", parameterName);
        }

        var labels = data.Labels.Span;
        objective.CheckLabels(labels, parameterName);
        var n = data.RowCount;
        var weights = new float[n];
        var classMass = new double[classCount];
        var classRows = new int[classCount];
        double total = 0;
        for (var i = 0; i < n; i++)
        {
            weights[i] = data.GetWeight(i);
            var c = (int)labels[i];
            classMass[c] += weights[i];
            classRows[c]++;
            total += weights[i];
        }

        if (!(total > 0))
        {
            throw new ArgumentException("Every training row has weight 0; at least one weight must be positive.", parameterName);
        }

        var present = 0;
        for (var c = 0; c < classCount; c++)
        {
            if (classMass[c] > 0)
            {
                present++;
            }
        }

        if (present < 2)
        {
            var only = Array.FindIndex(classMass, m => m > 0);
            throw new ArgumentException(
                $"The training set has only one class (label {only}, {n} rows); a classifier needs rows of at least two classes with positive weight.",
                parameterName);
        }

        if (weighting == ClassWeighting.Balanced)
        {
            // scikit-learn's "balanced": rows / (classes * rows of the class), counted over rows, not weights.
            var factors = new float[classCount];
            for (var c = 0; c < classCount; c++)
            {
                factors[c] = classRows[c] > 0 ? (float)((double)n / (present * classRows[c])) : 0f;
            }

            for (var i = 0; i < n; i++)
            {
                weights[i] *= factors[(int)labels[i]];
            }
        }

        return weights;
    }

    /// <summary>Throws when no feature can be split (every feature is constant, or missing everywhere).</summary>
    public static void CheckSplittable(BinnedDataset binned, string parameterName)
    {
        if (!binned.Features.Any(f => f.IsSplittable))
        {
            throw new ArgumentException(
                $"Every one of the {binned.FeatureCount} features is constant (or always missing) in the training set; there is nothing to learn from.",
                parameterName);
        }
    }

    public static ParallelOptions CreateParallelOptions(int? threads, CancellationToken cancellationToken)
        => new() { MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount, CancellationToken = cancellationToken };
}
