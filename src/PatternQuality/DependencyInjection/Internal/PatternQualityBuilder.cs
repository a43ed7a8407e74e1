using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Storage;

namespace PatternQuality.DependencyInjection.Internal;

/// <summary>Replace (not TryAdd) in every Use* method: an explicit choice must beat the defaults in any call order.</summary>
internal sealed class PatternQualityBuilder<TPattern>(IServiceCollection services) : IPatternQualityBuilder<TPattern>
{
    public IServiceCollection Services { get; } = services;

    public IPatternQualityBuilder<TPattern> UseFeatureExtractor<TExtractor>()
        where TExtractor : class, IFeatureExtractor<TPattern>
        => Set(ServiceDescriptor.Singleton<IFeatureExtractor<TPattern>, TExtractor>());

    public IPatternQualityBuilder<TPattern> UseFeatureExtractor(IFeatureExtractor<TPattern> extractor)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        return Set(ServiceDescriptor.Singleton(extractor));
    }

    public IPatternQualityBuilder<TPattern> UseFeedbackSource<TSource>()
        where TSource : class, IFeedbackSource<TPattern>
        => Set(ServiceDescriptor.Singleton<IFeedbackSource<TPattern>, TSource>());

    public IPatternQualityBuilder<TPattern> UseFeedbackSource(IFeedbackSource<TPattern> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Set(ServiceDescriptor.Singleton(source));
    }

    public IPatternQualityBuilder<TPattern> UseModelStore<TStore>()
        where TStore : class, IModelStore
        => Set(ServiceDescriptor.Singleton<IModelStore, TStore>());

    public IPatternQualityBuilder<TPattern> UseModelStore(IModelStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return Set(ServiceDescriptor.Singleton(store));
    }

    private PatternQualityBuilder<TPattern> Set(ServiceDescriptor descriptor)
    {
        Services.RemoveAll(descriptor.ServiceType);
        Services.Add(descriptor);
        return this;
    }
}
