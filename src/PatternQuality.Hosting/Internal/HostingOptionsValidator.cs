using Microsoft.Extensions.Options;

namespace PatternQuality.Hosting.Internal;

/// <summary>Validates <see cref="PatternQualityHostingOptions"/> the Microsoft.Extensions way (every problem at once).</summary>
internal sealed class HostingOptionsValidator : IValidateOptions<PatternQualityHostingOptions>
{
    public ValidateOptionsResult Validate(string? name, PatternQualityHostingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
