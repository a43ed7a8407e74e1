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
        => Use(builder, configure, o => new FastTreeLearner(o));

    /// <summary>Trains with ML.NET's FastForest (calibrated by ML.NET's Platt calibrator).</summary>
    /// <typeparam name="TPattern">The pattern type.</typeparam>
    /// <param name="builder">The builder <c>AddPatternQuality</c> returned.</param>
    /// <param name="configure">Adjusts the settings, or <see langword="null"/> for ML.NET's defaults.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">On start, when a setting is out of range.</exception>
    public static IPatternQualityBuilder<TPattern> UseFastForest<TPattern>(this IPatternQualityBuilder<TPattern> builder, Action<FastForestLearnerOptions>? configure = null)
        => Use(builder, configure, o => new FastForestLearner(o));

    /// <summary>Trains with ML.NET's LightGBM.</summary>
    /// <typeparam name="TPattern">The pattern type.</typeparam>
    /// <param name="builder">The builder <c>AddPatternQuality</c> returned.</param>
    /// <param name="configure">Adjusts the settings, or <see langword="null"/> for ML.NET's defaults.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">On start, when a setting is out of range.</exception>
    public static IPatternQualityBuilder<TPattern> UseLightGbm<TPattern>(this IPatternQualityBuilder<TPattern> builder, Action<LightGbmLearnerOptions>? configure = null)
        => Use(builder, configure, o => new LightGbmLearner(o));

    private static IPatternQualityBuilder<TPattern> Use<TPattern, TOptions>(
        IPatternQualityBuilder<TPattern> builder, Action<TOptions>? configure, Func<TOptions, ILearner> create)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<TOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // The learner is created when QualityTrainerOptions is first read, so the ML.NET settings are validated on start with it.
        builder.Services.AddOptions<QualityTrainerOptions>().Configure<Microsoft.Extensions.Options.IOptions<TOptions>>((trainer, ml) => trainer.Learner = create(ml.Value));
        return builder;
    }
}
