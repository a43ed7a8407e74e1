namespace PatternQuality.Experiments;

/// <summary>The result of a sample ratio mismatch check.</summary>
/// <param name="ChiSquare">The chi-square statistic.</param>
/// <param name="PValue">Its p-value (degrees of freedom: variants - 1).</param>
/// <param name="Mismatch">Whether the split differs from the weights beyond chance.</param>
public sealed record SampleRatioResult(double ChiSquare, double PValue, bool Mismatch);
