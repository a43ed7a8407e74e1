using System.ComponentModel.DataAnnotations;

namespace PatternQuality.Internal;

/// <summary>Requires a floating-point option to be a finite number (not NaN, not an infinity); <see langword="null"/> is valid.</summary>
/// <remarks>Instantiated directly by the source-generated options validators: no reflection.</remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
internal sealed class FiniteAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value switch
    {
        null => true,
        double d => double.IsFinite(d),
        _ => false,
    };

    public override string FormatErrorMessage(string name) => $"The field {name} must be a finite number.";
}
