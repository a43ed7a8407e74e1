using Microsoft.Extensions.Options;

namespace PatternQuality.DependencyInjection.Internal;

/// <summary>
/// Runs an options class's own <c>Validate()</c> (which hosts calling constructors directly also get) at host start,
/// turning its exception into a validation result that lists every problem.
/// </summary>
internal sealed class DelegatingOptionsValidator<TOptions>(Action<TOptions> validate) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            validate(options);
            return ValidateOptionsResult.Success;
        }
        catch (OptionsValidationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Failures);
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
