namespace PatternQuality.Experiments;

/// <summary>A comparison of two success rates.</summary>
/// <param name="Difference">Treatment rate minus control rate (NaN when an arm is empty).</param>
/// <param name="Lower">Lower end of the interval on the difference.</param>
/// <param name="Upper">Upper end of the interval on the difference.</param>
/// <param name="Statistic">The z statistic (fixed-horizon test) or the mixture likelihood ratio (sequential test).</param>
/// <param name="PValue">The p-value; for the sequential test the always-valid p-value.</param>
/// <param name="Significant">Whether the difference is significant at the test's alpha.</param>
public sealed record ProportionTestResult(double Difference, double Lower, double Upper, double Statistic, double PValue, bool Significant);
