namespace PatternQuality.Experiments;

/// <summary>One treatment against the control on unit conversion (units that accepted at least once / units).</summary>
/// <param name="Variant">The treatment.</param>
/// <param name="Control">The control.</param>
/// <param name="RelativeLift">(treatment rate - control rate) / control rate; NaN when the control rate is 0.</param>
/// <param name="FixedHorizon">The two-proportion z-test: valid only if this is the one planned look.</param>
/// <param name="Sequential">The mSPRT over every peek given: valid however often people looked.</param>
public sealed record VariantComparison(string Variant, string Control, double RelativeLift, ProportionTestResult FixedHorizon, ProportionTestResult Sequential);
