using Microsoft.Extensions.Options;

namespace PatternQuality.Internal;

/// <summary>
/// Runs, for a constructor used without a container, the same <see cref="IValidateOptions{TOptions}"/> that
/// <c>ValidateOnStart</c> runs in a host: the same rules and messages, every problem in one exception.
/// </summary>
internal static class OptionsValidation
{
    public static void ThrowIfInvalid<TOptions>(TOptions options, params ReadOnlySpan<IValidateOptions<TOptions>> validators)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string>? failures = null;
        foreach (var validator in validators)
        {
            var result = validator.Validate(Options.DefaultName, options);
            if (result.Failed)
            {
                (failures ??= []).AddRange(result.Failures);
            }
        }

        if (failures is not null)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), failures);
        }
    }
}
