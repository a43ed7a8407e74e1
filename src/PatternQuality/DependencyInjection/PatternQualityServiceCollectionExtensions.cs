using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PatternQuality.DependencyInjection;
using PatternQuality.DependencyInjection.Internal;
using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Scoring;
using PatternQuality.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers PatternQuality in a service collection.</summary>
public static class PatternQualityServiceCollectionExtensions
{
    /// <summary>
    /// Adds the PatternQuality services for a pattern type: <see cref="PatternScorer{TPattern}"/>, a
    /// <see cref="QualityModelHolder"/>, and defaults (an <see cref="InMemoryModelStore"/>, an
    /// <see cref="InMemoryFeedbackSource{TPattern}"/>, <see cref="TimeProvider.System"/>) that are only added when the
    /// host has registered none of its own. Options are validated when the host starts.
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
        services.TryAddSingleton<IModelStore, InMemoryModelStore>();
        services.TryAddSingleton<QualityModelHolder>();
        services.TryAddSingleton(sp => new InMemoryFeedbackSource<TPattern>(sp.GetService<TimeProvider>()));
        services.TryAddSingleton<IFeedbackSource<TPattern>>(sp => sp.GetRequiredService<InMemoryFeedbackSource<TPattern>>());
        services.TryAddSingleton(sp => new PatternScorer<TPattern>(
            sp.GetService<IFeatureExtractor<TPattern>>() ?? throw new InvalidOperationException(
                $"No IFeatureExtractor<{typeof(TPattern).Name}> is registered; call UseFeatureExtractor on the builder AddPatternQuality<{typeof(TPattern).Name}>() returns."),
            sp.GetRequiredService<QualityModelHolder>(),
            sp.GetRequiredService<IOptions<PatternQualityOptions>>().Value));
        return new PatternQualityBuilder<TPattern>(services);
    }
}
