using Microsoft.Extensions.Options;

namespace PatternQuality.MLNet.Internal;

/// <summary>
/// Runs, for a learner used without a container, the same <see cref="IValidateOptions{TOptions}"/> that
/// <c>ValidateOnStart</c> runs in a host: the same rules and messages, every problem in one exception. (The core
/// package's twin is internal to it; this package keeps its own rather than reach into another package's internals.)
/// </summary>
internal static class OptionsValidation
{
    public static void ThrowIfInvalid<TOptions>(TOptions options, IValidateOptions<TOptions> validator)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = validator.Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), result.Failures);
        }
    }
}
