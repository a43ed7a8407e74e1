using System.ComponentModel.DataAnnotations;

namespace PatternQuality.Internal;

/// <summary>Requires a string option to contain no character that is invalid in a path on this platform; <see langword="null"/> is valid.</summary>
/// <remarks>
/// Checked when the option is validated, so a path with a stray NUL fails with the option's name instead of an
/// <see cref="ArgumentException"/> from the first file operation. Instantiated directly by the source-generated
/// options validators: no reflection.
/// </remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
internal sealed class PathCharactersAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value is not string path || path.IndexOfAny(Path.GetInvalidPathChars()) < 0;

    public override string FormatErrorMessage(string name) => $"The field {name} contains characters that are invalid in a path.";
}
