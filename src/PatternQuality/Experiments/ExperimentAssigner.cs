using PatternQuality.Experiments.Internal;

namespace PatternQuality.Experiments;

/// <summary>
/// Deterministic, sticky assignment of units (users) to experiment variants: a SHA-256 hash of the layer and unit id
/// picks the unit's slice of its layer (mutual exclusion), a second hash of experiment id, salt and unit id picks the
/// variant by weight. No state is stored: any process, any machine, after any restart gives the same answer.
/// </summary>
/// <remarks>Thread-safe and immutable.</remarks>
public sealed class ExperimentAssigner
{
    private readonly Dictionary<string, Compiled> _experiments = new(StringComparer.Ordinal);

    /// <summary>Initializes a new assigner.</summary>
    /// <param name="experiments">The running experiments.</param>
    /// <exception cref="ArgumentException">A definition is invalid, two experiments share an id, or two experiments of one layer overlap.</exception>
    public ExperimentAssigner(IEnumerable<Experiment> experiments)
    {
        ArgumentNullException.ThrowIfNull(experiments);
        var errors = new List<string>();
        foreach (var e in experiments)
        {
            if (e is null)
            {
                errors.Add("An experiment is null.");
                continue;
            }

            var problems = e.Validate();
            if (problems.Count > 0)
            {
                errors.AddRange(problems);
                continue;
            }

            if (!_experiments.TryAdd(e.Id, new Compiled(e)))
            {
                errors.Add($"Two experiments have the id '{e.Id}'.");
            }
        }

        foreach (var layer in _experiments.Values.GroupBy(c => c.Layer, StringComparer.Ordinal))
        {
            var ordered = layer.OrderBy(c => c.Definition.TrafficOffset).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                var previous = ordered[i - 1].Definition;
                if (previous.TrafficOffset + previous.TrafficFraction > ordered[i].Definition.TrafficOffset + 1e-12)
                {
                    errors.Add($"Experiments '{previous.Id}' and '{ordered[i].Definition.Id}' share layer '{layer.Key}' and their traffic ranges overlap; they would not be mutually exclusive.");
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid experiments: " + string.Join(" ", errors), nameof(experiments));
        }
    }

    /// <summary>Gets the experiments.</summary>
    public IReadOnlyCollection<Experiment> Experiments => [.. _experiments.Values.Select(c => c.Definition)];

    /// <summary>Gets an experiment by id.</summary>
    /// <param name="experimentId">The id.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="KeyNotFoundException">No experiment has that id.</exception>
    public Experiment Get(string experimentId) => Find(experimentId).Definition;

    /// <summary>Assigns a unit.</summary>
    /// <param name="experimentId">The experiment.</param>
    /// <param name="unitId">The unit, typically a user id; the same id always gets the same answer.</param>
    /// <returns>The assignment.</returns>
    /// <exception cref="ArgumentException"><paramref name="unitId"/> is null or empty.</exception>
    /// <exception cref="KeyNotFoundException">No experiment has that id.</exception>
    public ExperimentAssignment Assign(string experimentId, string unitId)
    {
        ArgumentException.ThrowIfNullOrEmpty(unitId);
        var c = Find(experimentId);
        var e = c.Definition;
        var slice = StableHash.Unit("layer", c.Layer, unitId);
        if (slice < e.TrafficOffset || slice >= e.TrafficOffset + e.TrafficFraction)
        {
            return new ExperimentAssignment(e.Id, c.ControlName, false, false);
        }

        if (e.HoldbackFraction > 0 && StableHash.Unit("holdback:" + e.Id, e.Salt, unitId) < e.HoldbackFraction)
        {
            return new ExperimentAssignment(e.Id, c.ControlName, true, true);
        }

        var u = StableHash.Unit("variant:" + e.Id, e.Salt, unitId) * c.TotalWeight;
        for (var i = 0; i < c.Cumulative.Length; i++)
        {
            if (u < c.Cumulative[i])
            {
                return new ExperimentAssignment(e.Id, e.Variants[i].Name, true, false);
            }
        }

        return new ExperimentAssignment(e.Id, e.Variants[^1].Name, true, false);
    }

    private Compiled Find(string experimentId)
    {
        ArgumentNullException.ThrowIfNull(experimentId);
        return _experiments.TryGetValue(experimentId, out var c)
            ? c
            : throw new KeyNotFoundException($"No experiment has the id '{experimentId}'; known: {string.Join(", ", _experiments.Keys)}.");
    }

    private sealed class Compiled
    {
        public Compiled(Experiment e)
        {
            Definition = e;
            Layer = e.Layer ?? "experiment:" + e.Id;
            ControlName = e.ControlName;
            Cumulative = new double[e.Variants.Count];
            double sum = 0;
            for (var i = 0; i < Cumulative.Length; i++)
            {
                sum += e.Variants[i].Weight;
                Cumulative[i] = sum;
            }

            TotalWeight = sum;
        }

        public Experiment Definition { get; }

        public string Layer { get; }

        public string ControlName { get; }

        public double[] Cumulative { get; }

        public double TotalWeight { get; }
    }
}
