namespace PatternQuality.Training;

/// <summary>How long each stage of a training run took (measured with the trainer's <see cref="TimeProvider"/>).</summary>
public sealed class TrainingTimings
{
    internal TrainingTimings(TimeSpan extract, TimeSpan pretrain, TimeSpan crossValidate, TimeSpan calibrate, TimeSpan train, TimeSpan evaluate, TimeSpan total)
    {
        Extract = extract;
        Pretrain = pretrain;
        CrossValidate = crossValidate;
        Calibrate = calibrate;
        Train = train;
        Evaluate = evaluate;
        Total = total;
    }

    /// <summary>Gets the time spent reading feedback and extracting features (zero when a dataset was passed).</summary>
    public TimeSpan Extract { get; }

    /// <summary>Gets the time spent pre-training on a corpus (zero without pre-training).</summary>
    public TimeSpan Pretrain { get; }

    /// <summary>Gets the time spent cross-validating (zero when not asked).</summary>
    public TimeSpan CrossValidate { get; }

    /// <summary>Gets the time spent building out-of-fold predictions and fitting the calibrator.</summary>
    public TimeSpan Calibrate { get; }

    /// <summary>Gets the time spent fitting the final model.</summary>
    public TimeSpan Train { get; }

    /// <summary>Gets the time spent scoring the holdout and computing importance.</summary>
    public TimeSpan Evaluate { get; }

    /// <summary>Gets the wall-clock time of the whole run.</summary>
    public TimeSpan Total { get; }
}
