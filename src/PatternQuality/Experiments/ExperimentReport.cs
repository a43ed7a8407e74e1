namespace PatternQuality.Experiments;

/// <summary>An experiment's per-variant metrics, each treatment's comparison with the control, and the SRM check.</summary>
public sealed record ExperimentReport
{
    /// <summary>Gets the experiment id.</summary>
    public required string ExperimentId { get; init; }

    /// <summary>Gets the significance level used.</summary>
    public double Alpha { get; init; }

    /// <summary>Gets the number of peeks the sequential test saw.</summary>
    public int Peeks { get; init; }

    /// <summary>Gets the metrics of each variant, in definition order.</summary>
    public required IReadOnlyList<VariantMetrics> Variants { get; init; }

    /// <summary>Gets each treatment against the control.</summary>
    public required IReadOnlyList<VariantComparison> Comparisons { get; init; }

    /// <summary>Gets the sample ratio mismatch check on units per variant.</summary>
    public required SampleRatioResult SampleRatio { get; init; }

    /// <summary>
    /// Builds a report. Pass the snapshots of every earlier peek (for example one per day) so the sequential test sees
    /// the whole history; the last snapshot is the current one.
    /// </summary>
    /// <param name="experiment">The experiment.</param>
    /// <param name="peeks">Cumulative metrics at each look, oldest first; at least one.</param>
    /// <param name="alpha">The significance level, in (0, 1).</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">No snapshot is given, or a snapshot does not list the experiment's variants.</exception>
    public static ExperimentReport Create(Experiment experiment, IReadOnlyList<IReadOnlyList<VariantMetrics>> peeks, double alpha = 0.05)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(peeks);
        ProportionTest.CheckAlpha(alpha);
        if (peeks.Count == 0)
        {
            throw new ArgumentException("Give at least one snapshot of the metrics.", nameof(peeks));
        }

        var control = experiment.ControlName;
        var treatments = experiment.Variants.Where(v => v.Name != control).Select(v => v.Name).ToList();
        var tests = treatments.ToDictionary(t => t, _ => new SequentialProportionTest(alpha), StringComparer.Ordinal);
        var sequential = new Dictionary<string, ProportionTestResult>(StringComparer.Ordinal);
        foreach (var snapshot in peeks)
        {
            var c = Find(snapshot, control, experiment);
            foreach (var t in treatments)
            {
                var m = Find(snapshot, t, experiment);
                sequential[t] = tests[t].Update(c.ConvertedUnits, c.Units, m.ConvertedUnits, m.Units);
            }
        }

        var last = peeks[^1];
        var cm = Find(last, control, experiment);
        var comparisons = treatments.Select(t =>
        {
            var m = Find(last, t, experiment);
            var lift = cm.UnitConversionRate > 0 ? (m.UnitConversionRate - cm.UnitConversionRate) / cm.UnitConversionRate : double.NaN;
            return new VariantComparison(t, control, lift, ProportionTest.ZTest(cm.ConvertedUnits, cm.Units, m.ConvertedUnits, m.Units, alpha), sequential[t]);
        }).ToList();
        var ordered = experiment.Variants.Select(v => Find(last, v.Name, experiment)).ToList();
        return new ExperimentReport
        {
            ExperimentId = experiment.Id,
            Alpha = alpha,
            Peeks = peeks.Count,
            Variants = ordered,
            Comparisons = comparisons,
            SampleRatio = SampleRatioMismatch.Check([.. ordered.Select(m => m.Units)], [.. experiment.Variants.Select(v => v.Weight)]),
        };
    }

    private static VariantMetrics Find(IReadOnlyList<VariantMetrics> snapshot, string name, Experiment experiment)
        => snapshot.FirstOrDefault(m => m.Variant == name)
            ?? throw new ArgumentException($"A snapshot has no metrics for variant '{name}' of experiment '{experiment.Id}'.", nameof(snapshot));
}
