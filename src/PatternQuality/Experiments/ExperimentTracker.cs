namespace PatternQuality.Experiments;

/// <summary>
/// Collects per-variant exposures and feedback of one experiment in memory: units, impressions and clicks per position,
/// acceptances, time to action and fallbacks. Only analysed units (not held back, inside the experiment) are counted.
/// </summary>
/// <remarks>Thread-safe. Memory grows with the number of distinct units (one entry per unit).</remarks>
public sealed class ExperimentTracker
{
    private readonly object _gate = new();
    private readonly Dictionary<string, VariantState> _variants = new(StringComparer.Ordinal);

    /// <summary>Initializes a new tracker.</summary>
    /// <param name="experiment">The experiment.</param>
    /// <exception cref="ArgumentException">The definition is invalid.</exception>
    public ExperimentTracker(Experiment experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var errors = experiment.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(experiment));
        }

        Experiment = experiment;
        foreach (var v in experiment.Variants)
        {
            _variants[v.Name] = new VariantState();
        }
    }

    /// <summary>Gets the experiment.</summary>
    public Experiment Experiment { get; }

    /// <summary>Records that a unit was shown a suggestion.</summary>
    /// <param name="assignment">The unit's assignment; units not analysed are ignored.</param>
    /// <param name="unitId">The unit.</param>
    /// <param name="position">The 1-based position the suggestion was shown at.</param>
    /// <exception cref="ArgumentException">The assignment belongs to another experiment or names an unknown variant.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="position"/> is below 1.</exception>
    public void RecordImpression(ExperimentAssignment assignment, string unitId, int position = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(position, 1);
        ArgumentException.ThrowIfNullOrEmpty(unitId);
        var state = State(assignment);
        if (state is null)
        {
            return;
        }

        lock (_gate)
        {
            state.Units.TryAdd(unitId, false);
            state.Impressions++;
            state.ImpressionsAt[position] = state.ImpressionsAt.GetValueOrDefault(position) + 1;
        }
    }

    /// <summary>Records the user's action on a shown suggestion.</summary>
    /// <param name="assignment">The unit's assignment; units not analysed are ignored.</param>
    /// <param name="unitId">The unit.</param>
    /// <param name="accepted">Whether the user accepted (approved) it.</param>
    /// <param name="clicked">Whether the user clicked (opened) it; an acceptance counts as a click.</param>
    /// <param name="position">The 1-based position it was shown at.</param>
    /// <param name="timeToAction">How long after showing the user acted, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The assignment belongs to another experiment or names an unknown variant.</exception>
    public void RecordOutcome(ExperimentAssignment assignment, string unitId, bool accepted, bool clicked = false, int position = 1, TimeSpan? timeToAction = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(position, 1);
        ArgumentException.ThrowIfNullOrEmpty(unitId);
        var state = State(assignment);
        if (state is null)
        {
            return;
        }

        lock (_gate)
        {
            state.Units[unitId] = (state.Units.TryGetValue(unitId, out var converted) && converted) || accepted;
            state.Accepted += accepted ? 1 : 0;
            if (accepted || clicked)
            {
                state.Clicks++;
                state.ClicksAt[position] = state.ClicksAt.GetValueOrDefault(position) + 1;
            }

            if (timeToAction is { } t && t >= TimeSpan.Zero)
            {
                state.Times.Add(t.TotalSeconds);
            }
        }
    }

    /// <summary>Records that a call for this variant fell back to the control.</summary>
    /// <param name="variant">The variant that failed.</param>
    /// <exception cref="ArgumentException">The variant is unknown.</exception>
    public void RecordFallback(string variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        var state = _variants.GetValueOrDefault(variant) ?? throw new ArgumentException($"Experiment '{Experiment.Id}' has no variant '{variant}'.", nameof(variant));
        Interlocked.Increment(ref state.Fallbacks);
    }

    /// <summary>Returns the metrics so far, one entry per variant in definition order.</summary>
    /// <returns>The metrics.</returns>
    public IReadOnlyList<VariantMetrics> Snapshot()
    {
        lock (_gate)
        {
            return [.. Experiment.Variants.Select(v => _variants[v.Name].ToMetrics(v.Name))];
        }
    }

    private VariantState? State(ExperimentAssignment assignment)
    {
        if (!string.Equals(assignment.ExperimentId, Experiment.Id, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The assignment is for experiment '{assignment.ExperimentId}', not '{Experiment.Id}'.", nameof(assignment));
        }

        if (!assignment.IsAnalyzed)
        {
            return null;
        }

        return _variants.GetValueOrDefault(assignment.Variant)
            ?? throw new ArgumentException($"Experiment '{Experiment.Id}' has no variant '{assignment.Variant}'.", nameof(assignment));
    }

    private sealed class VariantState
    {
        public readonly Dictionary<string, bool> Units = new(StringComparer.Ordinal);
        public readonly Dictionary<int, long> ImpressionsAt = [];
        public readonly Dictionary<int, long> ClicksAt = [];
        public readonly List<double> Times = [];
        public long Impressions;
        public long Accepted;
        public long Clicks;
        public long Fallbacks;

        public VariantMetrics ToMetrics(string name)
        {
            var times = Times.ToArray();
            Array.Sort(times);
            return new VariantMetrics
            {
                Variant = name,
                Units = Units.Count,
                ConvertedUnits = Units.Values.Count(c => c),
                Impressions = Impressions,
                Accepted = Accepted,
                Clicks = Clicks,
                Fallbacks = Interlocked.Read(ref Fallbacks),
                ClickThroughRateAtPosition = ImpressionsAt.OrderBy(p => p.Key).ToDictionary(p => p.Key, p => (double)ClicksAt.GetValueOrDefault(p.Key) / p.Value),
                MeanTimeToActionSeconds = times.Length > 0 ? times.Average() : double.NaN,
                MedianTimeToActionSeconds = times.Length == 0 ? double.NaN
                    : times.Length % 2 == 1 ? times[times.Length / 2] : (times[(times.Length / 2) - 1] + times[times.Length / 2]) / 2,
            };
        }
    }
}
