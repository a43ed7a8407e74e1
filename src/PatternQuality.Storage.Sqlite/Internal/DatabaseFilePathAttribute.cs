using System.ComponentModel.DataAnnotations;

namespace PatternQuality.Storage.Sqlite.Internal;

/// <summary>Requires a string option to be the path of a database file.</summary>
/// <remarks>
/// Refuses what SQLite would read as something other than a file (<c>:memory:</c>, a URI with <c>?</c> parameters), so a
/// durable store cannot silently become an in-memory database that other processes cannot see. The hosting package
/// compiles this file too (a link in its project), so its default database path is checked by the same rule.
/// </remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
internal sealed class DatabaseFilePathAttribute : ValidationAttribute
{
    /// <summary>Gets or sets whether <see langword="null"/> is invalid too (otherwise it means "the default location").</summary>
    public bool Required { get; set; }

    public override bool IsValid(object? value) => value is null
        ? !Required
        : value is string path && !string.IsNullOrWhiteSpace(path) && path.IndexOfAny(Path.GetInvalidPathChars()) < 0 && !path.StartsWith(':') && !path.Contains('?', StringComparison.Ordinal);

    public override string FormatErrorMessage(string name) => $"The field {name} must be set to a file path (not blank, not ':memory:', no '?' parameters, no invalid character).";
}
