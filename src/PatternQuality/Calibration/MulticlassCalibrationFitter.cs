using PatternQuality.Calibration.Internal;
using PatternQuality.Data;
using PatternQuality.Trees;

namespace PatternQuality.Calibration;

/// <summary>
/// Fits multiclass calibration the honest way: on out-of-fold raw scores (k models, each scoring the rows it did not
/// train on), choosing temperature or vector scaling by cross-fitted log loss.
/// </summary>
public static class MulticlassCalibrationFitter
{
    /// <summary>A more flexible method must beat a simpler one by this much log loss to be chosen (guards against noise).</summary>
    internal const double MinimumGain = 1e-4;

    /// <summary>Trains one model per fold with <paramref name="learner"/>, collects out-of-fold raw scores and fits on them.</summary>
    /// <param name="learner">The learner of the model to calibrate (its multiclass fit is used).</param>
    /// <param name="dataset">Rows with class labels 0 .. K-1.</param>
    /// <param name="method">The method, or <see cref="MulticlassCalibrationMethod.Auto"/>.</param>
    /// <param name="folds">The number of folds, 2 to 20.</param>
    /// <param name="seed">The fold assignment seed.</param>
    /// <param name="cancellationToken">Stops between folds.</param>
    /// <returns>The calibrator and the candidates' losses.</returns>
    /// <exception cref="ArgumentException">Fewer rows than folds, or labels that are not class indexes.</exception>
    public static MulticlassCalibrationResult FitOutOfFold(
        GradientBoostingLearner learner,
        Dataset dataset,
        MulticlassCalibrationMethod method = MulticlassCalibrationMethod.Auto,
        int folds = 5,
        int seed = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(folds, 20);
        if (dataset.RowCount < folds)
        {
            throw new ArgumentException($"{dataset.RowCount} rows cannot make {folds} folds.", nameof(dataset));
        }

        var labels = dataset.Labels.Span;
        var k = 0;
        foreach (var y in labels)
        {
            k = Math.Max(k, (int)y + 1);
        }

        var fold = AssignFolds(labels, folds, seed);
        var raw = new double[dataset.RowCount * k];
        for (var f = 0; f < folds; f++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var train = new List<int>();
            var test = new List<int>();
            for (var i = 0; i < fold.Length; i++)
            {
                (fold[i] == f ? test : train).Add(i);
            }

            var model = learner.FitMulticlass(dataset.Select(train), null, cancellationToken);
            if (model.ClassCount != k)
            {
                throw new ArgumentException($"Fold {f} trained a {model.ClassCount}-class model; the data has {k} classes. Every class needs rows in every fold.", nameof(dataset));
            }

            foreach (var i in test)
            {
                model.PredictRaw(dataset.GetRow(i), raw.AsSpan(i * k, k));
            }
        }

        return Fit(raw, labels, k, method, seed, cancellationToken);
    }

    /// <summary>Fits on out-of-fold raw scores already at hand; with <see cref="MulticlassCalibrationMethod.Auto"/> chooses by cross-fitted log loss.</summary>
    /// <param name="outOfFoldRawScores">Row-major raw scores, <paramref name="classCount"/> per row.</param>
    /// <param name="labels">Class indexes.</param>
    /// <param name="classCount">The number of classes.</param>
    /// <param name="method">The method, or <see cref="MulticlassCalibrationMethod.Auto"/>.</param>
    /// <param name="seed">The seed of the folds used to score candidates.</param>
    /// <param name="cancellationToken">Stops between candidates.</param>
    /// <returns>The calibrator and the candidates' losses.</returns>
    /// <exception cref="ArgumentException">Lengths disagree, there are no rows, or a label is not a class index.</exception>
    public static MulticlassCalibrationResult Fit(
        ReadOnlySpan<double> outOfFoldRawScores,
        ReadOnlySpan<float> labels,
        int classCount,
        MulticlassCalibrationMethod method = MulticlassCalibrationMethod.Auto,
        int seed = 0,
        CancellationToken cancellationToken = default)
    {
        ScalingFit.Check(outOfFoldRawScores, labels, classCount);
        if (!Enum.IsDefined(method))
        {
            throw new ArgumentOutOfRangeException(nameof(method), method, "method must be None, Temperature, Vector or Auto.");
        }

        var candidates = new Dictionary<MulticlassCalibrationMethod, double>();
        var ones = Enumerable.Repeat(1.0, classCount).ToArray();
        candidates[MulticlassCalibrationMethod.None] = ScalingFit.LogLoss(outOfFoldRawScores, labels, classCount, ones, new double[classCount]);
        if (method != MulticlassCalibrationMethod.Auto)
        {
            return new MulticlassCalibrationResult(MulticlassCalibrator.Fit(outOfFoldRawScores, labels, classCount, method), candidates);
        }

        var chosen = MulticlassCalibrationMethod.None;
        foreach (var candidate in new[] { MulticlassCalibrationMethod.Temperature, MulticlassCalibrationMethod.Vector })
        {
            cancellationToken.ThrowIfCancellationRequested();
            candidates[candidate] = CrossFitted(outOfFoldRawScores, labels, classCount, candidate, seed);
            if (candidates[candidate] < candidates[chosen] - MinimumGain)
            {
                chosen = candidate;
            }
        }

        return new MulticlassCalibrationResult(MulticlassCalibrator.Fit(outOfFoldRawScores, labels, classCount, chosen), candidates);
    }

    /// <summary>Log loss of a method fitted on 4/5 of the rows and scored on the other fifth, over five folds.</summary>
    private static double CrossFitted(ReadOnlySpan<double> raw, ReadOnlySpan<float> labels, int k, MulticlassCalibrationMethod method, int seed)
    {
        const int Folds = 5;
        var n = labels.Length;
        if (n < 2 * Folds)
        {
            // Too few rows to hold any out: the in-sample loss (optimistic, so small data rarely picks a flexible method by luck alone).
            var all = MulticlassCalibrator.Fit(raw, labels, k, method);
            return ScalingFit.LogLoss(raw, labels, k, all.Scales.ToArray(), all.Offsets.ToArray());
        }

        var fold = AssignFolds(labels, Folds, seed + 1);
        double total = 0;
        for (var f = 0; f < Folds; f++)
        {
            var (trainRaw, trainLabels) = Take(raw, labels, k, fold, f, inFold: false);
            var (testRaw, testLabels) = Take(raw, labels, k, fold, f, inFold: true);
            var calibrator = MulticlassCalibrator.Fit(trainRaw, trainLabels, k, method);
            total += ScalingFit.LogLoss(testRaw, testLabels, k, calibrator.Scales.ToArray(), calibrator.Offsets.ToArray()) * testLabels.Length;
        }

        return total / n;
    }

    private static (double[] Raw, float[] Labels) Take(ReadOnlySpan<double> raw, ReadOnlySpan<float> labels, int k, int[] fold, int f, bool inFold)
    {
        var count = 0;
        foreach (var v in fold)
        {
            count += (v == f) == inFold ? 1 : 0;
        }

        var r = new double[count * k];
        var y = new float[count];
        var j = 0;
        for (var i = 0; i < fold.Length; i++)
        {
            if ((fold[i] == f) == inFold)
            {
                raw.Slice(i * k, k).CopyTo(r.AsSpan(j * k, k));
                y[j++] = labels[i];
            }
        }

        return (r, y);
    }

    /// <summary>Stratified fold of each row: within each class, rows in a seeded random order are dealt round-robin.</summary>
    private static int[] AssignFolds(ReadOnlySpan<float> labels, int folds, int seed)
    {
        var random = new Random(seed);
        var order = Enumerable.Range(0, labels.Length).ToArray();
        random.Shuffle(order);
        var byClass = new Dictionary<int, int>();
        var fold = new int[labels.Length];
        foreach (var i in order)
        {
            var c = (int)labels[i];
            byClass.TryGetValue(c, out var next);
            fold[i] = next % folds;
            byClass[c] = next + 1;
        }

        return fold;
    }
}
