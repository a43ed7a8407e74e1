using PatternQuality.Calibration.Internal;
using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Learning;
using PatternQuality.Validation;

namespace PatternQuality.Calibration;

/// <summary>
/// Fits calibrators the honest way: on out-of-fold predictions (as scikit-learn's <c>CalibratedClassifierCV</c> with
/// <c>ensemble=False</c>), never on the predictions of a model for rows it trained on.
/// </summary>
public static class CalibrationFitter
{
    /// <summary>The fewest rows with which <see cref="CalibrationMethod.Auto"/> considers isotonic regression.</summary>
    internal const int MinimumIsotonicRows = 1000;

    /// <summary>The largest loss of ROC AUC a calibrator may cause and still be chosen by <see cref="CalibrationMethod.Auto"/>.</summary>
    internal const double MaximumAucLoss = 0.002;

    /// <summary>
    /// Builds out-of-fold predictions with stratified k-fold (one model per fold, each scoring the rows it did not see),
    /// then fits the calibrator on them.
    /// </summary>
    /// <param name="learner">The learner whose predictions are to be calibrated.</param>
    /// <param name="dataset">Rows with 0/1 labels.</param>
    /// <param name="method">The calibration method; <see cref="CalibrationMethod.Auto"/> picks by cross-fitted score.</param>
    /// <param name="folds">The number of folds, 2 to 1000.</param>
    /// <param name="seed">The fold shuffling seed.</param>
    /// <param name="criterion">What <see cref="CalibrationMethod.Auto"/> minimises.</param>
    /// <param name="cancellationToken">Stops between and within folds.</param>
    /// <returns>The calibrator and the evidence.</returns>
    /// <exception cref="ArgumentException">The labels are not 0/1 or there are fewer rows than folds.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static CalibrationFitResult FitOutOfFold(
        ILearner learner,
        Dataset dataset,
        CalibrationMethod method = CalibrationMethod.Auto,
        int folds = 5,
        int seed = 0,
        CalibrationCriterion criterion = CalibrationCriterion.Brier,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(dataset);
        var cv = CrossValidator.Run(
            learner, dataset, new CrossValidationOptions { Folds = folds, Seed = seed }, null, cancellationToken);
        var oof = cv.OutOfFoldProbabilities.ToArray();
        return Fit(oof, dataset.Labels.Span, dataset.WeightSpan, method, criterion, seed, cancellationToken);
    }

    /// <summary>Fits a calibrator on out-of-fold probabilities that are already at hand (for example from <see cref="CrossValidator"/>).</summary>
    /// <param name="outOfFoldProbabilities">Each row's probability from a model that did not train on it.</param>
    /// <param name="labels">0/1 labels.</param>
    /// <param name="weights">One weight per row, or empty.</param>
    /// <param name="method">The calibration method; <see cref="CalibrationMethod.Auto"/> picks by cross-fitted score.</param>
    /// <param name="criterion">What <see cref="CalibrationMethod.Auto"/> minimises.</param>
    /// <param name="seed">The seed of the folds used to score candidates.</param>
    /// <param name="cancellationToken">Stops between candidates.</param>
    /// <returns>The calibrator and the evidence.</returns>
    /// <exception cref="ArgumentException">Lengths differ, input is empty, a label is not 0/1, a probability is NaN or outside [0, 1], or weights are invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="method"/> or <paramref name="criterion"/> is undefined.</exception>
    public static CalibrationFitResult Fit(
        ReadOnlySpan<float> outOfFoldProbabilities,
        ReadOnlySpan<float> labels,
        ReadOnlySpan<float> weights = default,
        CalibrationMethod method = CalibrationMethod.Auto,
        CalibrationCriterion criterion = CalibrationCriterion.Brier,
        int seed = 0,
        CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(method))
        {
            throw new ArgumentOutOfRangeException(nameof(method), method, "method must be None, Platt, Isotonic or Auto.");
        }

        if (!Enum.IsDefined(criterion))
        {
            throw new ArgumentOutOfRangeException(nameof(criterion), criterion, "criterion must be Brier or LogLoss.");
        }

        var (x, y, w) = CalibrationInput.FromProbabilities(outOfFoldProbabilities, labels, weights);
        var probabilities = outOfFoldProbabilities.ToArray();
        var labelArray = labels.ToArray();
        var weightArray = weights.ToArray();
        if (method != CalibrationMethod.Auto)
        {
            return new CalibrationFitResult(FitMethod(method, x, y, w), method, criterion, [], probabilities);
        }

        var candidates = new List<CalibrationCandidate>();
        var none = Score(CalibrationMethod.None, x, y, w, labelArray, weightArray, criterion, seed);
        candidates.Add(new CalibrationCandidate(CalibrationMethod.None, none.Score, none.Auc, true, "always eligible"));
        var platt = Score(CalibrationMethod.Platt, x, y, w, labelArray, weightArray, criterion, seed);
        candidates.Add(Judge(CalibrationMethod.Platt, platt, none.Auc, null));
        cancellationToken.ThrowIfCancellationRequested();
        if (x.Length >= MinimumIsotonicRows)
        {
            var iso = Score(CalibrationMethod.Isotonic, x, y, w, labelArray, weightArray, criterion, seed);
            candidates.Add(Judge(CalibrationMethod.Isotonic, iso, none.Auc, null));
        }
        else
        {
            candidates.Add(new CalibrationCandidate(
                CalibrationMethod.Isotonic, double.NaN, double.NaN, false, $"{x.Length} rows; isotonic needs at least {MinimumIsotonicRows}"));
        }

        var best = candidates.Where(c => c.Eligible && !double.IsNaN(c.Score)).OrderBy(c => c.Score).FirstOrDefault() ?? candidates[0];
        return new CalibrationFitResult(FitMethod(best.Method, x, y, w), method, criterion, candidates, probabilities);
    }

    private static CalibrationCandidate Judge(CalibrationMethod method, (double Score, double Auc) s, double baseAuc, string? note)
    {
        if (!double.IsNaN(baseAuc) && !double.IsNaN(s.Auc) && s.Auc < baseAuc - MaximumAucLoss)
        {
            return new CalibrationCandidate(method, s.Score, s.Auc, false, $"costs {baseAuc - s.Auc:F4} AUC, more than {MaximumAucLoss}");
        }

        return new CalibrationCandidate(method, s.Score, s.Auc, true, note ?? "eligible");
    }

    private static Calibrator FitMethod(CalibrationMethod method, double[] x, double[] y, double[]? w) => method switch
    {
        CalibrationMethod.None => IdentityCalibrator.Instance,
        CalibrationMethod.Platt => PlattCalibrator.FitScores(x, y, w),
        CalibrationMethod.Isotonic => IsotonicCalibrator.FitScores(x, y, w),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Only None, Platt and Isotonic can be fitted directly."),
    };

    /// <summary>
    /// Scores a method by cross-fitting on the out-of-fold predictions: fit on k-1 parts, calibrate the held-out part.
    /// Scoring a calibrator on the rows it was fitted on would always favour isotonic regression.
    /// </summary>
    private static (double Score, double Auc) Score(
        CalibrationMethod method, double[] x, double[] y, double[]? w, float[] labels, float[] weights, CalibrationCriterion criterion, int seed)
    {
        var n = x.Length;
        var calibrated = new float[n];
        if (method == CalibrationMethod.None || n < 10)
        {
            for (var i = 0; i < n; i++)
            {
                calibrated[i] = (float)IdentityCalibrator.Instance.CalibrateLogit(x[i]);
            }
        }
        else
        {
            foreach (var fold in new StratifiedKFold(5, seed).Split(labels))
            {
                var train = fold.TrainRows;
                var cal = FitMethod(
                    method,
                    train.Select(i => x[i]).ToArray(),
                    train.Select(i => y[i]).ToArray(),
                    w is null ? null : train.Select(i => w[i]).ToArray());
                foreach (var i in fold.TestRows)
                {
                    calibrated[i] = (float)cal.CalibrateLogit(x[i]);
                }
            }
        }

        var score = criterion == CalibrationCriterion.Brier
            ? BinaryMetrics.Brier(labels, calibrated, weights)
            : BinaryMetrics.LogLoss(labels, calibrated, weights);
        return (score, BinaryMetrics.Auc(labels, calibrated, weights));
    }
}
