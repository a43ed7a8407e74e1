using System.Globalization;

namespace PatternQuality.Experiments;

/// <summary>
/// An A/B (or A/B/n) experiment: which units (users) take part and how they split over the variants. Assignment is a
/// pure function of this definition and the unit id, so it is the same in every process and after every restart.
/// </summary>
/// <remarks>
/// Mutual exclusion: experiments that share a <see cref="Layer"/> never share a unit, as long as their traffic ranges
/// [<see cref="TrafficOffset"/>, <see cref="TrafficOffset"/> + <see cref="TrafficFraction"/>) do not overlap
/// (<see cref="ExperimentAssigner"/> checks). Changing <see cref="Salt"/> reshuffles the units of this experiment only.
/// </remarks>
public sealed class Experiment
{
    /// <summary>Gets or sets the experiment id; part of the hash, so renaming reshuffles.</summary>
    public required string Id { get; init; }

    /// <summary>Gets or sets the variants; the first is the control unless <see cref="Control"/> names another.</summary>
    public required IReadOnlyList<ExperimentVariant> Variants { get; init; }

    /// <summary>Gets or sets the control variant's name (what fallbacks, holdbacks and units outside the experiment get).</summary>
    /// <value>The default value is <see langword="null"/>: the first variant.</value>
    public string? Control { get; init; }

    /// <summary>Gets or sets the salt mixed into the variant hash.</summary>
    /// <value>The default value is the empty string.</value>
    public string Salt { get; init; } = string.Empty;

    /// <summary>Gets or sets the exclusion layer: experiments of one layer split the units between them.</summary>
    /// <value>The default value is <see langword="null"/>: the experiment's own layer (it is exclusive with nothing).</value>
    public string? Layer { get; init; }

    /// <summary>Gets or sets where this experiment's slice of its layer starts, in [0, 1).</summary>
    /// <value>The default value is 0.</value>
    public double TrafficOffset { get; init; }

    /// <summary>Gets or sets the share of the layer's units that enter this experiment, in (0, 1].</summary>
    /// <value>The default value is 1: every unit of the layer.</value>
    public double TrafficFraction { get; init; } = 1.0;

    /// <summary>
    /// Gets or sets the share of the experiment's units held back: they get the control, are counted apart and stay out
    /// of the comparison, so the long-run effect of shipping can be measured against them later.
    /// </summary>
    /// <value>The default value is 0. Allowed range: 0 to less than 1.</value>
    public double HoldbackFraction { get; init; }

    /// <summary>Gets the control variant's name.</summary>
    public string ControlName => Control ?? (Variants.Count > 0 ? Variants[0].Name : string.Empty);

    /// <summary>Lists every problem with this definition.</summary>
    /// <returns>One message per problem; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Id))
        {
            errors.Add("Id must be a non-empty string.");
        }

        if (Variants is null || Variants.Count < 2)
        {
            errors.Add($"Experiment '{Id}' needs at least two variants.");
            return errors;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in Variants)
        {
            if (v is null || string.IsNullOrWhiteSpace(v.Name))
            {
                errors.Add($"Experiment '{Id}' has a variant without a name.");
                continue;
            }

            if (!names.Add(v.Name))
            {
                errors.Add($"Experiment '{Id}' names variant '{v.Name}' twice.");
            }

            if (!(v.Weight > 0) || double.IsInfinity(v.Weight))
            {
                errors.Add($"Variant '{v.Name}' of experiment '{Id}' has weight {v.Weight.ToString(CultureInfo.InvariantCulture)}; weights must be finite and greater than 0.");
            }
        }

        if (Control is not null && !names.Contains(Control))
        {
            errors.Add($"Control '{Control}' is not a variant of experiment '{Id}'.");
        }

        if (!(TrafficOffset >= 0 && TrafficOffset < 1))
        {
            errors.Add($"TrafficOffset of experiment '{Id}' is {TrafficOffset.ToString(CultureInfo.InvariantCulture)}; allowed: 0 to less than 1.");
        }

        if (!(TrafficFraction > 0 && TrafficOffset + TrafficFraction <= 1 + 1e-12))
        {
            errors.Add($"TrafficFraction of experiment '{Id}' is {TrafficFraction.ToString(CultureInfo.InvariantCulture)}; it must be greater than 0 and TrafficOffset + TrafficFraction at most 1.");
        }

        if (!(HoldbackFraction >= 0 && HoldbackFraction < 1))
        {
            errors.Add($"HoldbackFraction of experiment '{Id}' is {HoldbackFraction.ToString(CultureInfo.InvariantCulture)}; allowed: 0 to less than 1.");
        }

        return errors;
    }
}
