namespace PatternQuality.Experiments;

/// <summary>An off-policy estimate of a policy's mean reward (for example its click rate) with a normal 95% interval.</summary>
/// <param name="Value">The estimated mean reward per decision.</param>
/// <param name="StandardError">Its standard error (from the spread of the per-decision terms).</param>
/// <param name="Lower">Value - 1.96 standard errors.</param>
/// <param name="Upper">Value + 1.96 standard errors.</param>
/// <param name="EffectiveSampleSize">(sum w)^2 / sum w^2 of the importance weights: how many on-policy decisions the log is worth.</param>
public sealed record OffPolicyEstimate(double Value, double StandardError, double Lower, double Upper, double EffectiveSampleSize);
