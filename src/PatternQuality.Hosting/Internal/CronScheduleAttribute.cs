using System.ComponentModel.DataAnnotations;

namespace PatternQuality.Hosting.Internal;

/// <summary>Requires a string option to be a standard cron expression of five fields (UTC); <see langword="null"/> is valid (no schedule).</summary>
/// <remarks>The message carries Cronos's reason, so a typo is found without reading the parser's documentation.</remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
internal sealed class CronScheduleAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        if (value is null || (value is string schedule && PatternQualityHostingOptions.TryParseSchedule(schedule, out _) is not null))
        {
            return ValidationResult.Success;
        }

        var why = value is string text && PatternQualityHostingOptions.TryParseSchedule(text, out var reason) is null ? reason : "not a string";
        return new ValidationResult(
            $"The field {validationContext.DisplayName} must be a cron expression of five fields (minute hour day month weekday, UTC), for example \"0 3 * * *\": '{value}' is not ({why}).",
            validationContext.MemberName is { } member ? [member] : null);
    }
}
