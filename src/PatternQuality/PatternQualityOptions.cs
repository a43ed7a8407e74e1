namespace PatternQuality;

/// <summary>Settings of the PatternQuality services registered by <c>AddPatternQuality</c>.</summary>
/// <remarks>
/// Validated at host start-up (<c>ValidateOnStart</c>) and again by the constructors that take them, so they also work
/// without a container.
/// </remarks>
public sealed class PatternQualityOptions
{
    /// <summary>Gets or sets the score given to every pattern before any model has been loaded or trained.</summary>
    /// <value>The default value is 0.5. Allowed range: 0 to 1.</value>
    public double DefaultScore { get; set; } = 0.5;

    /// <summary>Lists every problem with these options.</summary>
    /// <returns>One message per problem, naming the option and its allowed range; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(DefaultScore >= 0 && DefaultScore <= 1))
        {
            errors.Add($"{nameof(PatternQualityOptions)}.{nameof(DefaultScore)} must be between 0 and 1 (was {DefaultScore}).");
        }

        return errors;
    }

    internal void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors));
        }
    }
}
