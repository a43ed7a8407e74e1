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

/// <summary>Requires a string option to be the path of a database file; <see langword="null"/> is valid (the default location).</summary>
/// <remarks>
/// Refuses what SQLite would read as something other than a file (<c>:memory:</c>, a URI with <c>?</c> parameters), so a
/// durable default cannot silently become an in-memory database.
/// </remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
internal sealed class DatabaseFilePathAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value is null
        || (value is string path && !string.IsNullOrWhiteSpace(path) && path.IndexOfAny(Path.GetInvalidPathChars()) < 0 && !path.StartsWith(':') && !path.Contains('?', StringComparison.Ordinal));

    public override string FormatErrorMessage(string name) => $"The field {name} must be a file path (not blank, not ':memory:', no '?' parameters, no invalid character).";
}
