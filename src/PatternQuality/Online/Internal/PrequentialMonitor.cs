using Microsoft.Extensions.Logging;
using PatternQuality.Telemetry;

namespace PatternQuality.Online.Internal;

/// <summary>
/// Test-then-train bookkeeping for one learner: feeds each scored batch to the <see cref="PrequentialEvaluator"/>,
/// each record's log loss to the drift detector, publishes the rolling metrics on the meter, and on an alarm counts
/// it, logs it and raises <see cref="DriftDetected"/>.
/// </summary>
/// <remarks>Thread-safe: batches are observed one at a time, in call order.</remarks>
internal sealed class PrequentialMonitor
{
    private readonly Lock _gate = new();
    private readonly string _learner;
    private readonly IDriftDetector _detector;
    private readonly ILogger _logger;
    private readonly PatternQualityMetrics _metrics;

    public PrequentialMonitor(string learner, PrequentialEvaluator evaluator, IDriftDetector detector, ILogger logger, PatternQualityMetrics metrics)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(learner);
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(detector);
        _learner = learner;
        Evaluator = evaluator;
        _detector = detector;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>Raised, on the observing thread, when the detector raises an alarm.</summary>
    public event EventHandler<DriftDetectedArguments>? DriftDetected;

    public PrequentialEvaluator Evaluator { get; }

    /// <summary>
    /// Records a batch scored by the current model before it learns from it.
    /// </summary>
    /// <returns><see langword="true"/> when the batch raised a drift alarm (at most one alarm per batch is reported).</returns>
    public bool Observe(ReadOnlySpan<float> labels, ReadOnlySpan<float> scores)
    {
        var losses = labels.Length <= 1024 ? stackalloc double[labels.Length] : new double[labels.Length];
        long observations = 0;
        var drift = false;
        lock (_gate)
        {
            Evaluator.Add(labels, scores, losses);
            foreach (var loss in losses)
            {
                if (_detector.Add(loss) && !drift)
                {
                    drift = true;
                    observations = _detector.Count;
                }
            }
        }

        var metrics = Evaluator.GetMetrics();
        _metrics.RecordPrequential(_learner, metrics.LogLoss, metrics.Auc, metrics.Brier);
        if (drift)
        {
            _metrics.RecordDrift(_learner, _detector.Name);
            Log.DriftDetected(_logger, _detector.Name, _learner, observations);
            DriftDetected?.Invoke(this, new DriftDetectedArguments(_detector.Name, observations, metrics));
        }

        return drift;
    }

    /// <summary>Forgets the metrics and the detector's state, after a full retrain.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            Evaluator.Reset();
            _detector.Reset();
        }
    }
}
