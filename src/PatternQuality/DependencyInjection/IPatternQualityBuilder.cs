using Microsoft.Extensions.DependencyInjection;
using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Storage;

namespace PatternQuality.DependencyInjection;

/// <summary>
/// Returned by <c>AddPatternQuality&lt;TPattern&gt;()</c>: plugs the host's own feature extractor, feedback source and
/// model store into the PatternQuality services.
/// </summary>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
/// <remarks>
/// The <c>Use*</c> methods replace any earlier registration of the same service, while the library's defaults are only
/// added when nothing is registered, so the host's choice wins whatever order the calls come in.
/// </remarks>
public interface IPatternQualityBuilder<TPattern>
{
    /// <summary>Gets the service collection being configured.</summary>
    IServiceCollection Services { get; }

    /// <summary>Uses a feature extractor type, created by the container as a singleton.</summary>
    /// <typeparam name="TExtractor">The extractor type.</typeparam>
    /// <returns>This builder.</returns>
    IPatternQualityBuilder<TPattern> UseFeatureExtractor<TExtractor>()
        where TExtractor : class, IFeatureExtractor<TPattern>;

    /// <summary>Uses a feature extractor instance.</summary>
    /// <param name="extractor">The extractor.</param>
    /// <returns>This builder.</returns>
    IPatternQualityBuilder<TPattern> UseFeatureExtractor(IFeatureExtractor<TPattern> extractor);

    /// <summary>Uses a feedback source type, created by the container as a singleton.</summary>
    /// <typeparam name="TSource">The source type.</typeparam>
    /// <returns>This builder.</returns>
    IPatternQualityBuilder<TPattern> UseFeedbackSource<TSource>()
        where TSource : class, IFeedbackSource<TPattern>;

    /// <summary>Uses a feedback source instance.</summary>
    /// <param name="source">The source.</param>
    /// <returns>This builder.</returns>
    IPatternQualityBuilder<TPattern> UseFeedbackSource(IFeedbackSource<TPattern> source);

    /// <summary>Uses a model store type, created by the container as a singleton.</summary>
    /// <typeparam name="TStore">The store type.</typeparam>
    /// <returns>This builder.</returns>
    IPatternQualityBuilder<TPattern> UseModelStore<TStore>()
        where TStore : class, IModelStore;

    /// <summary>Uses a model store instance.</summary>
    /// <param name="store">The store.</param>
    /// <returns>This builder.</returns>
    IPatternQualityBuilder<TPattern> UseModelStore(IModelStore store);
}
