using System.ComponentModel.DataAnnotations;
using Npgsql;

namespace PatternQuality.Storage.PostgreSql.Internal;

/// <summary>Requires a string option to be an Npgsql connection string that names a host.</summary>
/// <remarks>The messages name the problem, never the value: a connection string may hold a password.</remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
internal sealed class NpgsqlConnectionStringAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        var name = validationContext.DisplayName;
        string[] members = validationContext.MemberName is { } member ? [member] : [];
        if (value is not string text || string.IsNullOrWhiteSpace(text))
        {
            return new ValidationResult($"{name} must be set (Host=...;Username=...;Database=...).", members);
        }

        try
        {
            return string.IsNullOrWhiteSpace(new NpgsqlConnectionStringBuilder(text).Host)
                ? new ValidationResult($"{name} names no Host.", members)
                : ValidationResult.Success;
        }
        catch (ArgumentException ex)
        {
            // Npgsql's message names the bad key, not the value, so it cannot leak a password.
            return new ValidationResult($"{name} is not a valid Npgsql connection string: {ex.Message}", members);
        }
    }
}

/// <summary>Requires a string option to be a plain SQL identifier (it is written into DDL unquoted).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
internal sealed class SqlIdentifierAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        PostgreSqlSchema.IsIdentifier(value as string)
            ? ValidationResult.Success
            : new ValidationResult(
                $"{validationContext.DisplayName} '{value}' is not a plain identifier: use up to 63 letters, digits and '_', starting with a letter or '_'.",
                validationContext.MemberName is { } member ? [member] : []);
}
