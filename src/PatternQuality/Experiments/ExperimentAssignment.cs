namespace PatternQuality.Experiments;

/// <summary>Where one unit stands in one experiment.</summary>
/// <param name="ExperimentId">The experiment.</param>
/// <param name="Variant">The variant the unit sees: its arm, or the control when it is held back or outside the experiment.</param>
/// <param name="InExperiment">Whether the unit falls in the experiment's traffic (held-back units included).</param>
/// <param name="IsHoldback">Whether the unit is held back: it sees the control and is left out of the comparison.</param>
public readonly record struct ExperimentAssignment(string ExperimentId, string Variant, bool InExperiment, bool IsHoldback)
{
    /// <summary>Gets a value indicating whether the unit counts in the comparison between variants.</summary>
    public bool IsAnalyzed => InExperiment && !IsHoldback;
}
