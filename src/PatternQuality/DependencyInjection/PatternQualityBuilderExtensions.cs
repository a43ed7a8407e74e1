using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Online;
using PatternQuality.Scoring;
using PatternQuality.Training;
using PatternQuality.Versioning;

namespace PatternQuality.DependencyInjection;

/// <summary>Optional features added through the builder <c>AddPatternQuality&lt;TPattern&gt;()</c> returns.</summary>
public static class PatternQualityBuilderExtensions
{
    /// <summary>
    /// Registers an <see cref="IncrementalLearner{TPattern}"/> that updates the model in the <see cref="QualityModelHolder"/>
    /// from new feedback, snapshots to the <see cref="ModelVersionManager"/>, and compacts (or recovers from drift) by a
    /// full retrain with the registered <see cref="QualityTrainer"/> over the registered <see cref="IFeedbackSource{TPattern}"/>.
    /// </summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures <see cref="IncrementalLearnerOptions"/> (validated when the host starts), or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// The learner is created when first resolved, so publish a model (for example the active version) to the
    /// <see cref="QualityModelHolder"/> first, then resolve it, call <see cref="IncrementalLearner{TPattern}.ResumeAsync"/>
    /// and run <see cref="IncrementalLearner{TPattern}.RunAsync"/> in a background service. The feature extractor must be a
    /// <see cref="FeatureExtractor{TPattern}"/> (the learner updates its history state); register one with
    /// <see cref="IPatternQualityBuilder{TPattern}.UseFeatureExtractor(IFeatureExtractor{TPattern})"/>.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IPatternQualityBuilder<TPattern> UseIncrementalLearning<TPattern>(
        this IPatternQualityBuilder<TPattern> builder, Action<IncrementalLearnerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        PatternQualityServiceCollectionExtensions.AddValidated<IncrementalLearnerOptions>(services, o => o.Validate());
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(sp =>
        {
            var extractor = sp.GetService<IFeatureExtractor<TPattern>>() as FeatureExtractor<TPattern>
                ?? throw new InvalidOperationException(
                    $"Incremental learning needs the registered IFeatureExtractor<{typeof(TPattern).Name}> to be a FeatureExtractor<{typeof(TPattern).Name}> (built with FeatureExtractorBuilder), because it keeps the history state up to date.");
            var learner = new IncrementalLearner<TPattern>(
                extractor,
                sp.GetRequiredService<QualityModelHolder>(),
                sp.GetRequiredService<IOptions<IncrementalLearnerOptions>>().Value,
                sp.GetRequiredService<ModelVersionManager>(),
                sp.GetService<ILogger<IncrementalLearner<TPattern>>>(),
                sp.GetService<TimeProvider>(),
                sp.GetService<IMeterFactory>());
            var trainer = sp.GetRequiredService<QualityTrainer>();
            var source = sp.GetRequiredService<IFeedbackSource<TPattern>>();
            learner.FullRetrain = async ct => (await trainer.TrainAsync(source, extractor.WithHistory(new HistoryState()), cancellationToken: ct).ConfigureAwait(false)).Model;
            return learner;
        });
        return builder;
    }
}
