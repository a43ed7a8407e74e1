using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PatternQuality.Learning;
using PatternQuality.MLNet;
using PatternQuality.Training;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers an ML.NET trainer as the learner of the registered <see cref="QualityTrainer"/> (and so of full retrains by the incremental learner).</summary>
public static class MLNetPatternQualityBuilderExtensions
{
    /// <summary>Trains with ML.NET's FastTree.</summary>
    /// <typeparam name="TPattern">The pattern type.</typeparam>
    /// <param name="builder">The builder <c>AddPatternQuality</c> returned.</param>
    /// <param name="configure">Adjusts the settings, or <see langword="null"/> for ML.NET's defaults.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">On start, when a setting is out of range.</exception>
    public static IPatternQualityBuilder<TPattern> UseFastTree<TPattern>(this IPatternQualityBuilder<TPattern> builder, Action<FastTreeLearnerOptions>? configure = null)
        => Use<TPattern, FastTreeLearnerOptions, FastTreeLearnerOptionsValidator>(builder, configure, o => new FastTreeLearner(o));

    /// <summary>Trains with ML.NET's FastForest (calibrated by ML.NET's Platt calibrator).</summary>
    /// <typeparam name="TPattern">The pattern type.</typeparam>
    /// <param name="builder">The builder <c>AddPatternQuality</c> returned.</param>
    /// <param name="configure">Adjusts the settings, or <see langword="null"/> for ML.NET's defaults.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">On start, when a setting is out of range.</exception>
    public static IPatternQualityBuilder<TPattern> UseFastForest<TPattern>(this IPatternQualityBuilder<TPattern> builder, Action<FastForestLearnerOptions>? configure = null)
        => Use<TPattern, FastForestLearnerOptions, FastForestLearnerOptionsValidator>(builder, configure, o => new FastForestLearner(o));

    /// <summary>Trains with ML.NET's LightGBM.</summary>
    /// <typeparam name="TPattern">The pattern type.</typeparam>
    /// <param name="builder">The builder <c>AddPatternQuality</c> returned.</param>
    /// <param name="configure">Adjusts the settings, or <see langword="null"/> for ML.NET's defaults.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">On start, when a setting is out of range.</exception>
    public static IPatternQualityBuilder<TPattern> UseLightGbm<TPattern>(this IPatternQualityBuilder<TPattern> builder, Action<LightGbmLearnerOptions>? configure = null)
        => Use<TPattern, LightGbmLearnerOptions, LightGbmLearnerOptionsValidator>(builder, configure, o => new LightGbmLearner(o));

    private static IPatternQualityBuilder<TPattern> Use<TPattern, TOptions, TValidator>(
        IPatternQualityBuilder<TPattern> builder, Action<TOptions>? configure, Func<TOptions, ILearner> create)
        where TOptions : class, new()
        where TValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<TOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // The learner's own validator, so reading IOptions<TOptions> fails with the messages its constructor gives. No
        // ValidateOnStart of its own: the learner is created when QualityTrainerOptions (ValidateOnStart) is first read,
        // so a bad setting already fails the start, once, rather than twice in an AggregateException.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        builder.Services.AddOptions<QualityTrainerOptions>().Configure<IOptions<TOptions>>((trainer, ml) => trainer.Learner = create(ml.Value));
        return builder;
    }
}
