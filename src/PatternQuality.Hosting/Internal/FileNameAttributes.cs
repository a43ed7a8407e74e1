using System.ComponentModel.DataAnnotations;

namespace PatternQuality.Hosting.Internal;

/// <summary>Requires a string option to be a plain file name: not blank, no directory separator, no invalid character.</summary>
/// <remarks>The feedback log lives inside the model store's directory; a path here would put it somewhere else.</remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
internal sealed class PlainFileNameAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value is null
        || (value is string name && !string.IsNullOrWhiteSpace(name) && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0 && !name.Contains('/', StringComparison.Ordinal));

    public override string FormatErrorMessage(string name) => $"The field {name} must be a plain file name (no directory, no invalid character).";
}
