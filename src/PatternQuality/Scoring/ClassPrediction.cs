namespace PatternQuality.Scoring;

/// <summary>The most probable class of one row, as <see cref="MulticlassQualityModel.Predict"/> returns it.</summary>
/// <param name="Class">The class index (0 to class count - 1).</param>
/// <param name="Name">The class name, as the training label column wrote it.</param>
/// <param name="Confidence">The calibrated probability of that class, in [0, 1].</param>
public sealed record ClassPrediction(int Class, string Name, float Confidence);
