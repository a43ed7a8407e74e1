using PatternQuality.Data;
using PatternQuality.Learning;
using PatternQuality.Online.Internal;

namespace PatternQuality.Online;

/// <summary>
/// Logistic regression that learns both in batch (<see cref="Fit"/>) and incrementally (<see cref="Update"/>), one
/// pass per batch of feedback, without keeping the history.
/// </summary>
/// <remarks>
/// <para>
/// Inputs: numeric features are standardized with running means and variances, clipped to
/// <see cref="OnlineLogisticRegressionOptions.StandardizedClip"/>; booleans read as 0/1; categorical features are
/// one-hot by category index. Every feature also has a missing-value weight, used when its value is NaN.
/// </para>
/// <para>
/// Thread safety: <see cref="Fit"/> and <see cref="Update"/> may be called from any thread and run one at a time. Each
/// returns an immutable <see cref="IPredictor"/> snapshot, which scores safely on any number of threads while later
/// updates run. A batch is applied all or nothing: a bad row or a cancellation leaves the learner as it was.
/// </para>
/// </remarks>
public sealed partial class OnlineLogisticRegression : ILearner
{
    private readonly OnlineLogisticRegressionOptions _options;
    private readonly Lock _gate = new();

    // Held for a whole Fit or Update so concurrent calls queue instead of racing on clones of the same state.
    private readonly Lock _updateGate = new();
    private LogisticState? _state;
    private volatile IPredictor? _current;

    /// <summary>Initializes a new learner.</summary>
    /// <param name="options">The settings, copied; <see langword="null"/> for the defaults.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is out of range; every such setting is listed.</exception>
    public OnlineLogisticRegression(OnlineLogisticRegressionOptions? options = null)
    {
        _options = options?.Clone() ?? new OnlineLogisticRegressionOptions();
        _options.Validate();
    }

    /// <inheritdoc />
    public string Name => "online-logistic";

    /// <summary>Gets the latest snapshot, or <see langword="null"/> before the first <see cref="Fit"/> or <see cref="Update"/>.</summary>
    public IPredictor? Current => _current;

    /// <summary>Gets the schema the learner is bound to, or <see langword="null"/> before it has seen data.</summary>
    public FeatureSchema? Schema
    {
        get
        {
            lock (_gate)
            {
                return _state?.Layout.Schema;
            }
        }
    }

    /// <summary>Gets how many rows the learner has taken a gradient step on, counting each epoch of <see cref="Fit"/> again; rows of weight 0 are skipped.</summary>
    public long ExamplesSeen
    {
        get
        {
            lock (_gate)
            {
                return _state?.ExamplesSeen ?? 0;
            }
        }
    }

    /// <summary>Forgets everything and trains from scratch with several shuffled passes over <paramref name="training"/>.</summary>
    /// <param name="training">The training rows; labels 0 or 1.</param>
    /// <param name="validation">Not used: the number of passes is fixed by <see cref="OnlineLogisticRegressionOptions.NumberOfEpochs"/>.</param>
    /// <param name="cancellationToken">Stops training; the learner is then left as it was.</param>
    /// <returns>The trained snapshot.</returns>
    /// <exception cref="ArgumentException">A label is not 0 or 1, or a feature value does not fit its kind (the message names row and feature).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public IPredictor Fit(Dataset training, Dataset? validation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        CheckLabels(training);
        lock (_updateGate)
        {
            return FitCore(training, cancellationToken);
        }
    }

    /// <summary>
    /// Learns from a batch in one pass, continuing from the current state (or starting fresh on the first call).
    /// </summary>
    /// <param name="batch">The new rows, in the order they should be learned (oldest first); labels 0 or 1.</param>
    /// <param name="cancellationToken">Stops the update; the learner is then left as it was.</param>
    /// <returns>The updated snapshot. The snapshot returned before stays valid and unchanged.</returns>
    /// <remarks>A batch with a single class is learned as usual: each step moves the weights only a little, so one
    /// batch of rejections shifts the model toward rejection without collapsing it. An empty batch returns the current snapshot.</remarks>
    /// <exception cref="SchemaMismatchException">The batch is laid out by a different schema than earlier data.</exception>
    /// <exception cref="ArgumentException">A label is not 0 or 1, or a feature value does not fit its kind.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public IPredictor Update(Dataset batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        CheckLabels(batch);
        lock (_updateGate)
        {
            return UpdateCore(batch, cancellationToken);
        }
    }

    private IPredictor FitCore(Dataset training, CancellationToken cancellationToken)
    {
        var state = new LogisticState(new LinearFeatureLayout(training.Schema));
        var features = training.Features.Span;
        var n = training.Schema.Count;
        for (var r = 0; r < training.RowCount; r++)
        {
            state.ObserveMoments(features.Slice(r * n, n));
        }

        var order = new int[training.RowCount];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var random = new Random(_options.Seed);
        for (var epoch = 0; epoch < _options.NumberOfEpochs; epoch++)
        {
            random.Shuffle(order);
            Learn(state, training, order, observeMoments: false, cancellationToken);
        }

        return Commit(state);
    }

    private IPredictor UpdateCore(Dataset batch, CancellationToken cancellationToken)
    {
        LogisticState state;
        lock (_gate)
        {
            if (_state is not null)
            {
                _state.Layout.Schema.EnsureCompatible(batch.Schema);
                if (batch.RowCount == 0)
                {
                    return _current!;
                }

                state = _state.Clone();
            }
            else
            {
                state = new LogisticState(new LinearFeatureLayout(batch.Schema));
            }
        }

        var order = new int[batch.RowCount];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Learn(state, batch, order, observeMoments: true, cancellationToken);
        return Commit(state);
    }

    private static void CheckLabels(Dataset data)
    {
        var labels = data.Labels.Span;
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] is not (0f or 1f))
            {
                throw new ArgumentException($"Row {i} has label {labels[i]}; OnlineLogisticRegression needs labels 0 or 1.", nameof(data));
            }
        }
    }

    private IPredictor Commit(LogisticState state)
    {
        var snapshot = new OnlineLogisticRegressionPredictor(state, _options.StandardizedClip);
        lock (_gate)
        {
            _state = state;
            _current = snapshot;
        }

        return snapshot;
    }

    private void Learn(LogisticState state, Dataset data, int[] order, bool observeMoments, CancellationToken cancellationToken)
    {
        var layout = state.Layout;
        var n = layout.Schema.Count;
        var features = data.Features.Span;
        var labels = data.Labels.Span;
        var max = layout.MaxActive;
        var idx = new int[max];
        var val = new double[max];
        var w = state.Weights;
        var g2 = state.GradSquares;
        var rate = _options.LearningRate;
        var l2 = _options.L2Regularization;
        var clip = _options.StandardizedClip;
        var decay = _options.GradientSumDecay;

        for (var i = 0; i < order.Length; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var r = order[i];
            var row = features.Slice(r * n, n);
            if (observeMoments)
            {
                state.ObserveMoments(row);
            }

            var k = layout.Encode(row, state.Means, state.InverseStds, clip, idx, val, r);
            var weight = data.GetWeight(r);
            if (weight == 0)
            {
                continue;
            }

            var z = 0.0;
            for (var a = 0; a < k; a++)
            {
                z += w[idx[a]] * val[a];
            }

            var residual = (OnlineLogisticRegressionPredictor.Sigmoid(z) - labels[r]) * weight;
            for (var a = 0; a < k; a++)
            {
                var j = idx[a];
                var g = residual * val[a];
                if (j != 0)
                {
                    g += l2 * w[j];
                }

                g2[j] = (decay * g2[j]) + (g * g);
                w[j] -= rate * g / (Math.Sqrt(g2[j]) + 1e-8);
            }

            state.ExamplesSeen++;
        }
    }
}
