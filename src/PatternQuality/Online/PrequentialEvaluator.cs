namespace PatternQuality.Online;

/// <summary>
/// Tracks how well the live model predicts feedback it has not yet learned from: log loss, ROC AUC and Brier score
/// over a rolling window of the last <see cref="WindowSize"/> records, plus the cumulative log loss.
/// </summary>
/// <remarks>
/// Honest evaluation needs the order right: score a batch with the current model, <see cref="Add(float, float)"/> the
/// scores, and only then learn from the batch. Thread-safe: any thread may add or read.
/// </remarks>
public sealed class PrequentialEvaluator
{
    /// <summary>Probabilities are clamped to [Epsilon, 1 - Epsilon] for the log loss, so one confident miss costs at most about 34.5 nats.</summary>
    internal const double Epsilon = 1e-15;

    private readonly Lock _gate = new();
    private readonly float[] _labels;
    private readonly float[] _scores;
    private int _next;
    private int _count;
    private long _total;
    private double _cumulativeLogLoss;

    /// <summary>Initializes a new evaluator.</summary>
    /// <param name="windowSize">How many recent records the rolling metrics cover. Allowed range: [10, 10,000,000].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="windowSize"/> is out of range.</exception>
    public PrequentialEvaluator(int windowSize = 1000)
    {
        if (windowSize is < 10 or > 10_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(windowSize), windowSize, "The prequential window size must be in [10, 10,000,000].");
        }

        WindowSize = windowSize;
        _labels = new float[windowSize];
        _scores = new float[windowSize];
    }

    /// <summary>Gets how many recent records the rolling metrics cover.</summary>
    public int WindowSize { get; }

    /// <summary>Records one scored record.</summary>
    /// <param name="label">What the user did: 1 approved, 0 rejected.</param>
    /// <param name="score">The probability of approval the model gave before learning from the record.</param>
    /// <returns>The record's log loss, ready to feed an <see cref="IDriftDetector"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The label is not 0 or 1, or the score is not a probability.</exception>
    public double Add(float label, float score)
    {
        Check(label, score, -1);
        lock (_gate)
        {
            return AddCore(label, score);
        }
    }

    /// <summary>Records a batch of scored records, in order.</summary>
    /// <param name="labels">What the users did: 1 approved, 0 rejected.</param>
    /// <param name="scores">The probabilities the model gave before learning from the batch.</param>
    /// <param name="losses">Optional: receives each record's log loss, to feed an <see cref="IDriftDetector"/>.</param>
    /// <exception cref="ArgumentException">The spans differ in length, or <paramref name="losses"/> is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is not 0 or 1, or a score is not a probability (nothing is recorded).</exception>
    public void Add(ReadOnlySpan<float> labels, ReadOnlySpan<float> scores, Span<double> losses = default)
    {
        if (labels.Length != scores.Length)
        {
            throw new ArgumentException($"{labels.Length} labels but {scores.Length} scores.", nameof(scores));
        }

        if (!losses.IsEmpty && losses.Length < labels.Length)
        {
            throw new ArgumentException($"The losses span holds {losses.Length} values; {labels.Length} are needed.", nameof(losses));
        }

        for (var i = 0; i < labels.Length; i++)
        {
            Check(labels[i], scores[i], i);
        }

        lock (_gate)
        {
            for (var i = 0; i < labels.Length; i++)
            {
                var loss = AddCore(labels[i], scores[i]);
                if (!losses.IsEmpty)
                {
                    losses[i] = loss;
                }
            }
        }
    }

    /// <summary>Computes the metrics as of now.</summary>
    /// <returns>A point-in-time copy.</returns>
    public PrequentialMetrics GetMetrics()
    {
        float[] labels;
        float[] scores;
        long total;
        double cumulative;
        lock (_gate)
        {
            labels = _labels[.._count];
            scores = _scores[.._count];
            total = _total;
            cumulative = _cumulativeLogLoss;
        }

        if (labels.Length == 0)
        {
            return new PrequentialMetrics(0, total, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        double logLoss = 0;
        double brier = 0;
        double positives = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            logLoss += LogLoss(labels[i], scores[i]);
            brier += (scores[i] - labels[i]) * (scores[i] - labels[i]);
            positives += labels[i];
        }

        var n = labels.Length;
        return new PrequentialMetrics(n, total, logLoss / n, Evaluation.BinaryMetrics.Auc(labels, scores), brier / n, positives / n, cumulative / total);
    }

    /// <summary>Forgets every record (for example after a full retrain, so the metrics describe the new model only).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _next = 0;
            _count = 0;
            _total = 0;
            _cumulativeLogLoss = 0;
        }
    }

    internal static double LogLoss(float label, float score)
    {
        var p = Math.Clamp((double)score, Epsilon, 1 - Epsilon);
        return label == 1f ? -Math.Log(p) : -Math.Log(1 - p);
    }

    private static void Check(float label, float score, int index)
    {
        var where = index >= 0 ? $" (record {index})" : string.Empty;
        if (label is not (0f or 1f))
        {
            throw new ArgumentOutOfRangeException("label", label, $"A prequential label must be 0 or 1{where}.");
        }

        if (!(score >= 0f && score <= 1f))
        {
            throw new ArgumentOutOfRangeException("score", score, $"A prequential score must be a probability in [0, 1]{where}.");
        }
    }

    private double AddCore(float label, float score)
    {
        _labels[_next] = label;
        _scores[_next] = score;
        _next = (_next + 1) % WindowSize;
        _count = Math.Min(_count + 1, WindowSize);
        _total++;
        var loss = LogLoss(label, score);
        _cumulativeLogLoss += loss;
        return loss;
    }
}
