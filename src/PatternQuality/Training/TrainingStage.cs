namespace PatternQuality.Training;

/// <summary>The steps of a training run, in the order they happen, as reported through <see cref="TrainingProgress"/>.</summary>
public enum TrainingStage
{
    /// <summary>Reading feedback and extracting features.</summary>
    Extracting = 0,

    /// <summary>Splitting the rows into training and test sets.</summary>
    Splitting = 1,

    /// <summary>Pre-training on a corpus with weak or synthetic labels.</summary>
    Pretraining = 2,

    /// <summary>Cross-validating the learner on the training rows.</summary>
    CrossValidating = 3,

    /// <summary>Fitting the calibrator on out-of-fold predictions.</summary>
    Calibrating = 4,

    /// <summary>Fitting the final model on all training rows.</summary>
    Training = 5,

    /// <summary>Scoring the holdout and computing feature importance.</summary>
    Evaluating = 6,

    /// <summary>The run has finished.</summary>
    Completed = 7,
}
