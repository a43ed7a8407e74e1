using PatternQuality.Calibration;
using PatternQuality.Data;
using PatternQuality.Trees;

namespace PatternQuality.Online.Internal;

/// <summary>
/// The engine of <see cref="IncrementalLearner{TPattern}"/> on feature vectors: keeps a replay window of the most
/// recent rows with each row's margin under the current model, and turns a new batch into a candidate model by
/// continued boosting on the window, an optional leaf refit, Platt recalibration and a guard on the newest rows.
/// Beside that updated model it keeps the reference (the last fully trained model, which never learns) and serves the
/// updated model only while it leads the reference within <see cref="ServingTest"/>'s budget (see docs/incremental.md).
/// </summary>
/// <remarks>
/// Not thread-safe: one update at a time (the learner serializes them). <see cref="Model"/> and
/// <see cref="Calibrator"/> are immutable, so readers may hold them while an update runs.
/// </remarks>
internal sealed class IncrementalUpdater
{
    private readonly IncrementalLearnerOptions _options;
    private readonly BoostingSession _boosting;
    private readonly int _featureCount;
    private readonly float[] _features;
    private readonly float[] _labels;
    private readonly float[] _weights;
    private readonly double[] _margins;
    private readonly BinnedWindow _binned;
    private readonly ServingTest _serving;
    private TreeEnsembleModel _reference;
    private Calibrator _referenceCalibrator;
    private TreeEnsembleModel _updated;
    private Calibrator _updatedCalibrator;
    private bool _servesUpdated;
    private int _start;
    private int _count;

    public IncrementalUpdater(IncrementalLearnerOptions options, TreeEnsembleModel model, Calibrator? calibrator, Dataset? recent = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(model);
        if (model.IsRandomForest)
        {
            throw new ArgumentException("Incremental updates need a boosted model; this one is a random forest (retrain it with GradientBoostingLearner).", nameof(model));
        }

        _options = options.Clone();
        _options.Validate();
        _boosting = new BoostingSession(new GradientBoostingOptions
        {
            NumberOfLeaves = _options.NumberOfLeaves,
            MinimumExampleCountPerLeaf = _options.MinimumExampleCountPerLeaf,
            LearningRate = _options.LearningRate,
            L2Regularization = _options.L2Regularization,
            Seed = _options.Seed,

            // One thread: a window of a few thousand rows is too small to gain from more, and the host keeps its cores.
            NumberOfThreads = 1,
        });
        Schema = model.Schema;
        _featureCount = Schema.Count;
        var w = _options.ReplayWindowSize;
        _features = new float[(long)w * _featureCount];
        _labels = new float[w];
        _weights = new float[w];
        _margins = new double[w];
        _binned = new BinnedWindow(w, _featureCount);
        _reference = _updated = model;
        _referenceCalibrator = _updatedCalibrator = calibrator ?? IdentityCalibrator.Instance;
        _serving = new ServingTest(_options.ServingTolerance, _options.ServingSignificance);
        if (recent is not null && recent.RowCount > 0)
        {
            Schema.EnsureCompatible(recent.Schema);
            BoostingSession.CheckLabels(recent.Labels.Span, nameof(recent));
            var from = Math.Max(0, recent.RowCount - w);
            for (var r = from; r < recent.RowCount; r++)
            {
                var row = recent.GetRow(r);
                Append(row, recent.Labels.Span[r], recent.GetWeight(r), model.Ensemble.PredictBinaryRaw(row));
            }
        }
    }

    public FeatureSchema Schema { get; }

    /// <summary>Gets the model to serve: the updated model while the serving test allows it, otherwise the reference.</summary>
    public TreeEnsembleModel Model => _servesUpdated ? _updated : _reference;

    /// <summary>Gets the calibrator of <see cref="Model"/>.</summary>
    public Calibrator Calibrator => _servesUpdated ? _updatedCalibrator : _referenceCalibrator;

    /// <summary>Gets the incrementally updated model, served or not.</summary>
    public TreeEnsembleModel UpdatedModel => _updated;

    /// <summary>Gets whether <see cref="Model"/> is the updated model rather than the reference.</summary>
    public bool ServesUpdated => _servesUpdated;

    /// <summary>Gets the serving test's state (for diagnostics and tests).</summary>
    internal ServingTest Serving => _serving;

    /// <summary>Gets how many rows the replay window holds.</summary>
    public int WindowCount => _count;

    /// <summary>Gets whether the model has reached <see cref="IncrementalLearnerOptions.MaximumTreeCount"/> and needs compacting by a full retrain.</summary>
    public bool NeedsCompaction => _updated.TreeCount >= _options.MaximumTreeCount;

    /// <summary>Returns the calibrated probability of the current model.</summary>
    public float Score(ReadOnlySpan<float> row) => Calibrator.Calibrate(Model.PredictProbability(row));

    /// <summary>Adds a batch to the window and tries to learn from it.</summary>
    /// <exception cref="SchemaMismatchException">The batch's schema is not the model's.</exception>
    /// <exception cref="ArgumentException">A label is not 0 or 1.</exception>
    public IncrementalUpdateOutcome Update(Dataset batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Schema.EnsureCompatible(batch.Schema);
        BoostingSession.CheckLabels(batch.Labels.Span, nameof(batch));
        if (batch.RowCount == 0)
        {
            return new IncrementalUpdateOutcome(false, 0, 0, double.NaN, double.NaN, "The batch is empty.", false, _servesUpdated);
        }

        var servedBefore = Model;
        var servedCalibratorBefore = Calibrator;
        var labels = batch.Labels.Span;
        var sameModels = ReferenceEquals(_updated, _reference) && ReferenceEquals(_updatedCalibrator, _referenceCalibrator);
        for (var r = 0; r < batch.RowCount; r++)
        {
            // Test, then train: both models score the row before either learns from it, a free and unbiased holdout.
            var row = batch.GetRow(r);
            var margin = _updated.Ensemble.PredictBinaryRaw(row);
            var weight = batch.GetWeight(r);
            var updatedLoss = RowLoss(labels[r], _updatedCalibrator.Calibrate((float)BoostingSession.Sigmoid(margin)));
            var referenceLoss = sameModels ? updatedLoss : RowLoss(labels[r], _referenceCalibrator.Calibrate(_reference.PredictProbability(row)));
            _serving.Observe(referenceLoss, updatedLoss, weight, _servesUpdated);
            Append(row, labels[r], weight, margin);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (_options.ServeOnlyWhenBetter && _serving.UpdatedIsWorse)
        {
            // The updated model has drifted below the reference with confidence: restart it from the reference (and
            // learn this batch on it), rather than let it keep compounding a slow loss.
            RestartFromReference();
        }

        var ensemble = _updated.Ensemble;

        // The newest rows of this batch are held back to judge the candidate; the next update learns from them.
        var holdout = _options.GuardFraction > 0 ? Math.Min((int)Math.Round(batch.RowCount * _options.GuardFraction), _count - 1) : 0;
        var trainCount = _count - holdout;
        var train = WindowDataset(0, trainCount, out var trainMargins, _options.ReplayHalfLife);
        string? note = null;

        var rounds = NeedsCompaction ? 0 : Math.Min(_options.NumberOfTreesPerUpdate, _options.MaximumTreeCount - Model.TreeCount);
        var candidate = ensemble;
        if (rounds > 0)
        {
            if (HasBothClasses(train.Labels.Span))
            {
                try
                {
                    if (_binned.RebinDue)
                    {
                        _binned.Rebin(_boosting, WindowDataset(0, _count, out _), _start, cancellationToken);
                    }

                    candidate = _boosting.AddTrees(ensemble, train, trainMargins, _binned, _start, rounds, cancellationToken);
                }
                catch (ArgumentException ex) when (ex.ParamName == "training")
                {
                    // Every feature constant in the window: nothing to split on, so this update only recalibrates.
                    note = ex.Message;
                }
            }
            else
            {
                note = "The replay window holds one class only; no trees were added.";
            }
        }

        var added = candidate.Trees.Length - ensemble.Trees.Length;
        var candidateMargins = new double[_count];
        if (_options.LeafRefitDecay is { } decay && HasBothClasses(train.Labels.Span))
        {
            candidate = BoostingSession.RefitLeaves(candidate, train, decay, cancellationToken);
            for (var i = 0; i < _count; i++)
            {
                candidateMargins[i] = candidate.PredictBinaryRaw(Row(i));
            }
        }
        else
        {
            var newTrees = candidate.Trees.AsSpan(ensemble.Trees.Length);
            for (var i = 0; i < _count; i++)
            {
                var m = _margins[Slot(i)];
                if (newTrees.Length > 0)
                {
                    var row = Row(i);
                    foreach (var tree in newTrees)
                    {
                        m += tree.Predict(row);
                    }
                }

                candidateMargins[i] = m;
            }
        }

        var calibrator = _updatedCalibrator;
        if (_options.Recalibrate && HasBothClasses(train.Labels.Span))
        {
            calibrator = PlattCalibrator.FitScores(candidateMargins[..trainCount], ToDouble(train.Labels.Span), ToDouble(train.Weights!.Value.Span));
        }

        var currentLoss = double.NaN;
        var candidateLoss = double.NaN;
        var accepted = true;
        if (holdout > 0)
        {
            currentLoss = LogLoss(trainCount, _count, i => _margins[Slot(i)], _updatedCalibrator);
            candidateLoss = LogLoss(trainCount, _count, i => candidateMargins[i], calibrator);
            accepted = candidateLoss <= currentLoss + _options.GuardTolerance;
        }

        if (!accepted)
        {
            return Outcome(false, 0, holdout, currentLoss, candidateLoss, note ?? "The candidate scored worse on the held-back rows; the current model stays.", servedBefore, servedCalibratorBefore);
        }

        for (var i = 0; i < _count; i++)
        {
            _margins[Slot(i)] = candidateMargins[i];
        }

        _updated = ReferenceEquals(candidate, ensemble) ? _updated : new TreeEnsembleModel(Schema, candidate, Describe(_updated), []);
        _updatedCalibrator = calibrator;
        return Outcome(true, added, holdout, currentLoss, candidateLoss, note, servedBefore, servedCalibratorBefore);
    }

    /// <summary>Replaces the model (after a full retrain): the window stays, its margins are recomputed.</summary>
    public void Replace(TreeEnsembleModel model, Calibrator? calibrator)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.IsRandomForest)
        {
            throw new ArgumentException("Incremental updates need a boosted model; this one is a random forest.", nameof(model));
        }

        Schema.EnsureCompatible(model.Schema);
        for (var i = 0; i < _count; i++)
        {
            _margins[Slot(i)] = model.Ensemble.PredictBinaryRaw(Row(i));
        }

        _reference = _updated = model;
        _referenceCalibrator = _updatedCalibrator = calibrator ?? IdentityCalibrator.Instance;
        _servesUpdated = false;
        _serving.Reset();
    }

    /// <summary>Copies the window (oldest first) into a dataset, for a full retrain's recent data or tests.</summary>
    public Dataset GetWindow() => WindowDataset(0, _count, out _);

    /// <summary>Copies the cached margins of the window rows (oldest first); they must equal the model's raw scores.</summary>
    public double[] GetWindowMargins()
    {
        _ = WindowDataset(0, _count, out var margins);
        return margins;
    }

    private static double RowLoss(float label, float probability)
    {
        var p = Math.Clamp((double)probability, PrequentialEvaluator.Epsilon, 1 - PrequentialEvaluator.Epsilon);
        return label == 1f ? -Math.Log(p) : -Math.Log(1 - p);
    }

    // Decides what to serve for the next batch and reports whether that changed the served model.
    private IncrementalUpdateOutcome Outcome(
        bool accepted, int added, int holdout, double currentLoss, double candidateLoss, string? note, TreeEnsembleModel servedBefore, Calibrator calibratorBefore)
    {
        _servesUpdated = !_options.ServeOnlyWhenBetter || (_serving.UpdatedLeads && _serving.WithinBudget);
        var changed = !ReferenceEquals(Model, servedBefore) || !ReferenceEquals(Calibrator, calibratorBefore);
        return new IncrementalUpdateOutcome(accepted, added, holdout, currentLoss, candidateLoss, note, changed, _servesUpdated);
    }

    private void RestartFromReference()
    {
        for (var i = 0; i < _count; i++)
        {
            _margins[Slot(i)] = _reference.Ensemble.PredictBinaryRaw(Row(i));
        }

        _updated = _reference;
        _updatedCalibrator = _referenceCalibrator;
        _servesUpdated = false;
        _serving.ResetEvidence();
        Restarts++;
    }

    /// <summary>Gets how many times the updated model was restarted from the reference because it had become worse.</summary>
    public int Restarts { get; private set; }

    private static IReadOnlyList<KeyValuePair<string, string>> Describe(TreeEnsembleModel model)
        => model.TrainingOptions.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();

    private static bool HasBothClasses(ReadOnlySpan<float> labels)
    {
        bool zero = false, one = false;
        foreach (var y in labels)
        {
            zero |= y == 0f;
            one |= y == 1f;
            if (zero && one)
            {
                return true;
            }
        }

        return false;
    }

    private static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }

    private double LogLoss(int from, int to, Func<int, double> margin, Calibrator calibrator)
    {
        double sum = 0, weight = 0;
        for (var i = from; i < to; i++)
        {
            var s = Slot(i);
            var p = Math.Clamp((double)calibrator.Calibrate((float)BoostingSession.Sigmoid(margin(i))), PrequentialEvaluator.Epsilon, 1 - PrequentialEvaluator.Epsilon);
            var w = _weights[s];
            sum += w * (_labels[s] == 1f ? -Math.Log(p) : -Math.Log(1 - p));
            weight += w;
        }

        return weight > 0 ? sum / weight : 0;
    }

    private void Append(ReadOnlySpan<float> row, float label, float weight, double margin)
    {
        var capacity = _labels.Length;
        int slot;
        if (_count < capacity)
        {
            slot = (_start + _count) % capacity;
            _count++;
        }
        else
        {
            slot = _start;
            _start = (_start + 1) % capacity;
        }

        row.CopyTo(_features.AsSpan(slot * _featureCount, _featureCount));
        _binned.Store(slot, row);

        _labels[slot] = label;
        _weights[slot] = weight;
        _margins[slot] = margin;
    }

    private int Slot(int i) => (_start + i) % _labels.Length;

    private ReadOnlySpan<float> Row(int i) => _features.AsSpan(Slot(i) * _featureCount, _featureCount);

    private Dataset WindowDataset(int from, int to, out double[] margins, int halfLife = 0)
    {
        var decay = halfLife > 0 ? Math.Pow(0.5, 1.0 / halfLife) : 1.0;
        var n = to - from;
        var f = _featureCount;
        var x = new float[(long)n * f];
        var y = new float[n];
        var w = new float[n];
        margins = new double[n];
        for (var i = 0; i < n; i++)
        {
            var s = Slot(from + i);
            Array.Copy(_features, s * f, x, i * f, f);
            y[i] = _labels[s];
            w[i] = halfLife > 0 ? (float)(_weights[s] * Math.Pow(decay, n - 1 - i)) : _weights[s];
            margins[i] = _margins[s];
        }

        return new Dataset(Schema, x, y, w);
    }
}
