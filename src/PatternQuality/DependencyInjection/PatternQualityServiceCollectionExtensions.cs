using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PatternQuality;
using PatternQuality.DependencyInjection.Internal;
using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Training;
using PatternQuality.Versioning;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers PatternQuality in a service collection.</summary>
public static class PatternQualityServiceCollectionExtensions
{
    /// <summary>
    /// Adds the PatternQuality services for a pattern type: <see cref="PatternScorer{TPattern}"/>, a
    /// <see cref="QualityModelHolder"/>, a <see cref="QualityTrainer"/> (configured by <see cref="QualityTrainerOptions"/>),
    /// a <see cref="ModelVersionManager"/> over the registered <see cref="IModelStore"/> (configured by
    /// <see cref="ModelVersioningOptions"/> and <see cref="PromotionPolicyOptions"/>, gated by the registered
    /// <see cref="IPromotionPolicy"/>), and defaults (an <see cref="InMemoryModelStore"/>, an
    /// <see cref="InMemoryFeedbackSource{TPattern}"/> as the feedback source and <see cref="IFeedbackStore{TPattern}"/>, a <see cref="DefaultPromotionPolicy"/>, <see cref="TimeProvider.System"/>)
    /// that are only added when the host has registered none of its own. Every options class is validated when the host starts.
    /// </summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures <see cref="PatternQualityOptions"/>, or <see langword="null"/>.</param>
    /// <returns>A builder to plug in the feature extractor (required), feedback source and model store.</returns>
    /// <remarks>Calling it again is harmless: defaults are added once, and each <paramref name="configure"/> applies in order. No logging is registered: the host's own is used when present.</remarks>
    public static IPatternQualityBuilder<TPattern> AddPatternQuality<TPattern>(
        this IServiceCollection services, Action<PatternQualityOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<PatternQualityOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PatternQualityOptions>, PatternQualityOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IModelStore>(DefaultServices.ModelStore);
        services.TryAddSingleton(sp => new QualityModelHolder(null, sp.GetService<IMeterFactory>()));
        if (!services.Any(d => d.ServiceType == typeof(IFeedbackSource<TPattern>)))
        {
            // The default store is both the source and the sink; a source the host registered itself is left alone
            // (and gets no store beside it, so feedback is never written to one place and read from another).
            services.TryAddSingleton(sp => new InMemoryFeedbackSource<TPattern>(sp.GetService<TimeProvider>()));
            services.AddSingleton<IFeedbackSource<TPattern>>(DefaultServices.FeedbackSource<TPattern>);
            services.TryAddSingleton<IFeedbackStore<TPattern>>(DefaultServices.FeedbackStore<TPattern>);
        }

        AddValidated<QualityTrainerOptions, QualityTrainerOptionsValidator>(services);
        AddValidated<ModelVersioningOptions, ModelVersioningOptionsValidator>(services);
        AddValidated<PromotionPolicyOptions, PromotionPolicyOptionsValidator>(services);
        services.TryAddSingleton<IPromotionPolicy>(sp => new DefaultPromotionPolicy(sp.GetRequiredService<IOptions<PromotionPolicyOptions>>().Value));
        services.TryAddSingleton(sp => new QualityTrainer(
            sp.GetRequiredService<IOptions<QualityTrainerOptions>>().Value,
            sp.GetService<ILogger<QualityTrainer>>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(sp => new ModelVersionManager(
            sp.GetRequiredService<IModelStore>(),
            sp.GetRequiredService<IOptions<ModelVersioningOptions>>().Value,
            sp.GetRequiredService<IPromotionPolicy>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<ModelVersionManager>>(),
            sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(sp => new PatternScorer<TPattern>(
            sp.GetService<IFeatureExtractor<TPattern>>() ?? throw new InvalidOperationException(
                $"No IFeatureExtractor<{typeof(TPattern).Name}> is registered; call UseFeatureExtractor on the builder AddPatternQuality<{typeof(TPattern).Name}>() returns."),
            sp.GetRequiredService<QualityModelHolder>(),
            sp.GetRequiredService<IOptions<PatternQualityOptions>>().Value,
            sp.GetService<IMeterFactory>()));
        return new PatternQualityBuilder<TPattern>(services);
    }

    /// <summary>
    /// Registers <typeparamref name="TOptions"/> with the validator its constructor-side users run too, checked when the
    /// host starts (<c>ValidateOnStart</c>), so a bad setting fails the start with every problem listed.
    /// </summary>
    internal static void AddValidated<
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(IServiceCollection services)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
    }
}
