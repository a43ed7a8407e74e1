using Microsoft.Extensions.Options;

namespace PatternQuality.DependencyInjection.Internal;

/// <summary>Reports every problem of <see cref="PatternQualityOptions"/> at once, not just the first.</summary>
internal sealed class PatternQualityOptionsValidator : IValidateOptions<PatternQualityOptions>
{
    public ValidateOptionsResult Validate(string? name, PatternQualityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
