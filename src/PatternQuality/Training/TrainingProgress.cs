namespace PatternQuality.Training;

/// <summary>A progress report of <see cref="QualityTrainer"/>, sent when a stage starts and when the run completes.</summary>
/// <param name="Stage">The stage that is starting (or <see cref="TrainingStage.Completed"/>).</param>
/// <param name="Fraction">A rough share of the run done so far, from 0 to 1.</param>
/// <param name="Message">A short description for people, such as "fitting 100 trees on 10,147 rows".</param>
public sealed record TrainingProgress(TrainingStage Stage, double Fraction, string Message);
