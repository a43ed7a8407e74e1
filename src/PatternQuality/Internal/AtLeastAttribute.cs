using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace PatternQuality.Internal;

/// <summary>
/// Requires a number to be at least a minimum and finite, with no upper bound: what <see cref="RangeAttribute"/> can
/// only say as "between 0 and 1.7976931348623157E+308", which is no message for a user.
/// </summary>
/// <remarks>
/// Options validators are source-generated (<c>[OptionsValidator]</c>), which instantiate this attribute directly: no
/// reflection. A <see langword="null"/> value (an unset nullable option) is valid, as with the built-in attributes.
/// </remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
internal sealed class AtLeastAttribute : ValidationAttribute
{
    private readonly double _minimum;
    private readonly bool _integral;

    /// <summary>Initializes a new instance of the <see cref="AtLeastAttribute"/> class for an integer option.</summary>
    /// <param name="minimum">The smallest allowed value.</param>
    public AtLeastAttribute(int minimum)
    {
        _minimum = minimum;
        _integral = true;
    }

    /// <summary>Initializes a new instance of the <see cref="AtLeastAttribute"/> class for a floating-point option.</summary>
    /// <param name="minimum">The smallest allowed value; NaN and infinities are never allowed.</param>
    public AtLeastAttribute(double minimum) => _minimum = minimum;

    public override bool IsValid(object? value) => value switch
    {
        null => true,
        int i => i >= _minimum,
        double d => double.IsFinite(d) && d >= _minimum,
        _ => false, // an attribute put on a property of another type: fail loudly rather than pass silently
    };

    public override string FormatErrorMessage(string name) => string.Format(
        CultureInfo.InvariantCulture,
        _integral ? "The field {0} must be {1} or more." : "The field {0} must be a finite number, {1} or more.",
        name,
        _minimum);
}
