using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace PatternQuality.Internal;

/// <summary>
/// Requires a <see cref="TimeSpan"/> option to lie between two bounds, optionally also allowing
/// <see cref="Timeout.InfiniteTimeSpan"/> (which <see cref="RangeAttribute"/> cannot express: it is -1 ms, below any
/// positive minimum).
/// </summary>
/// <remarks>
/// The bounds are invariant constant-format strings (<c>"00:00:00.001"</c>, <c>"30.00:00:00"</c>), as attribute
/// arguments must be constants. Instantiated directly by the source-generated options validators: no reflection.
/// </remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
internal sealed class TimeSpanRangeAttribute : ValidationAttribute
{
    private readonly TimeSpan _minimum;
    private readonly TimeSpan _maximum;

    /// <summary>Initializes a new instance of the <see cref="TimeSpanRangeAttribute"/> class.</summary>
    /// <param name="minimum">The smallest allowed value, in the invariant constant ("c") format.</param>
    /// <param name="maximum">The largest allowed value, in the invariant constant ("c") format.</param>
    public TimeSpanRangeAttribute(string minimum, string maximum)
    {
        _minimum = TimeSpan.ParseExact(minimum, "c", CultureInfo.InvariantCulture);
        _maximum = TimeSpan.ParseExact(maximum, "c", CultureInfo.InvariantCulture);
        Minimum = minimum;
        Maximum = maximum;
    }

    /// <summary>Gets the smallest allowed value, as written.</summary>
    public string Minimum { get; }

    /// <summary>Gets the largest allowed value, as written.</summary>
    public string Maximum { get; }

    /// <summary>Gets or sets a value indicating whether <see cref="Timeout.InfiniteTimeSpan"/> is allowed too.</summary>
    public bool AllowInfinite { get; set; }

    public override bool IsValid(object? value) => value switch
    {
        null => true,
        TimeSpan t => (AllowInfinite && t == Timeout.InfiniteTimeSpan) || (t >= _minimum && t <= _maximum),
        _ => false,
    };

    public override string FormatErrorMessage(string name) => AllowInfinite
        ? $"The field {name} must be between {Minimum} and {Maximum}, or Timeout.InfiniteTimeSpan."
        : $"The field {name} must be between {Minimum} and {Maximum}.";
}
