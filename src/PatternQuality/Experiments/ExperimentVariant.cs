namespace PatternQuality.Experiments;

/// <summary>One arm of an experiment: a name (for example a model version alias, or "rules") and its share of the traffic.</summary>
/// <param name="Name">The variant's name; unique within the experiment.</param>
/// <param name="Weight">Its relative share of the experiment's units; greater than 0. Weights need not add up to 1.</param>
public sealed record ExperimentVariant(string Name, double Weight = 1.0);
