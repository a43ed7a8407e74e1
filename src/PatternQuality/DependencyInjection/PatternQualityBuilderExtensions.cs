using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Online;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Training;
using PatternQuality.Versioning;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The <c>Use*</c> methods of the builder <c>AddPatternQuality&lt;TPattern&gt;()</c> returns. They live in this namespace,
/// as the Microsoft.Extensions builders' do, so a host needs no extra <c>using</c>.
/// </summary>
/// <remarks>
/// The methods that plug in a service replace any earlier registration of it, while the library's defaults are only
/// added when nothing is registered, so the host's choice wins whatever order the calls come in.
/// </remarks>
public static class PatternQualityBuilderExtensions
{
    /// <summary>Uses a feature extractor type, created by the container as a singleton.</summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <typeparam name="TExtractor">The extractor type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IPatternQualityBuilder<TPattern> UseFeatureExtractor<TPattern, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TExtractor>(this IPatternQualityBuilder<TPattern> builder)
        where TExtractor : class, IFeatureExtractor<TPattern>
        => Set(builder, ServiceDescriptor.Singleton<IFeatureExtractor<TPattern>, TExtractor>());

    /// <summary>Uses a feature extractor instance.</summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="extractor">The extractor.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="extractor"/> is null.</exception>
    public static IPatternQualityBuilder<TPattern> UseFeatureExtractor<TPattern>(this IPatternQualityBuilder<TPattern> builder, IFeatureExtractor<TPattern> extractor)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        return Set(builder, ServiceDescriptor.Singleton(extractor));
    }

    /// <summary>Uses a feedback source type, created by the container as a singleton.</summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <typeparam name="TSource">The source type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <remarks>When <typeparamref name="TSource"/> is an <see cref="IFeedbackStore{TPattern}"/>, the same instance is also the registered feedback store; otherwise any registered store is removed, so feedback is never written to one place and read from another.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IPatternQualityBuilder<TPattern> UseFeedbackSource<TPattern, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TSource>(this IPatternQualityBuilder<TPattern> builder)
        where TSource : class, IFeedbackSource<TPattern>
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<TSource>();
        return SetFeedback(builder, null, sp => sp.GetRequiredService<TSource>(), typeof(IFeedbackStore<TPattern>).IsAssignableFrom(typeof(TSource)));
    }

    /// <summary>Uses a feedback source instance.</summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="source">The source.</param>
    /// <returns>The builder.</returns>
    /// <remarks>When <paramref name="source"/> is an <see cref="IFeedbackStore{TPattern}"/>, it is also the registered feedback store; otherwise any registered store is removed, so feedback is never written to one place and read from another.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="source"/> is null.</exception>
    public static IPatternQualityBuilder<TPattern> UseFeedbackSource<TPattern>(this IPatternQualityBuilder<TPattern> builder, IFeedbackSource<TPattern> source)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(source);
        return SetFeedback(builder, source, null, source is IFeedbackStore<TPattern>);
    }

    /// <summary>
    /// Uses a durable feedback store instance: the <see cref="IFeedbackStore{TPattern}"/> hosts write feedback to and the
    /// <see cref="IFeedbackSource{TPattern}"/> the learner and the trainer read it from.
    /// </summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="store">The store.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="store"/> is null.</exception>
    public static IPatternQualityBuilder<TPattern> UseFeedbackStore<TPattern>(this IPatternQualityBuilder<TPattern> builder, IFeedbackStore<TPattern> store)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(store);
        return SetFeedback(builder, store, null, isStore: true);
    }

    /// <summary>
    /// Uses a durable feedback store that the container creates when it is first needed (one instance, disposed with the
    /// container when it is <see cref="IDisposable"/>), as both the <see cref="IFeedbackStore{TPattern}"/> and the
    /// <see cref="IFeedbackSource{TPattern}"/>.
    /// </summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the store, for example from the registered model store's location.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="factory"/> is null.</exception>
    public static IPatternQualityBuilder<TPattern> UseFeedbackStore<TPattern>(this IPatternQualityBuilder<TPattern> builder, Func<IServiceProvider, IFeedbackStore<TPattern>> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        return SetFeedback(builder, null, factory, isStore: true);
    }

    /// <summary>Uses a model store type, created by the container as a singleton.</summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <typeparam name="TStore">The store type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IPatternQualityBuilder<TPattern> UseModelStore<TPattern, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TStore>(this IPatternQualityBuilder<TPattern> builder)
        where TStore : class, IModelStore
        => Set(builder, ServiceDescriptor.Singleton<IModelStore, TStore>());

    /// <summary>Uses a model store instance.</summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="store">The store.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="store"/> is null.</exception>
    public static IPatternQualityBuilder<TPattern> UseModelStore<TPattern>(this IPatternQualityBuilder<TPattern> builder, IModelStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return Set(builder, ServiceDescriptor.Singleton(store));
    }

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
    /// <see cref="UseFeatureExtractor{TPattern}(IPatternQualityBuilder{TPattern}, IFeatureExtractor{TPattern})"/>.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IPatternQualityBuilder<TPattern> UseIncrementalLearning<TPattern>(
        this IPatternQualityBuilder<TPattern> builder, Action<IncrementalLearnerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        PatternQualityServiceCollectionExtensions.AddValidated<IncrementalLearnerOptions, IncrementalLearnerOptionsValidator>(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IncrementalLearnerOptions>, IncrementalLearnerTriggerCapacityValidator>());
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

    // The source and the store are one service: both are the same instance, or there is no store at all. An instance
    // the host passed in stays the host's to dispose; one the container created is disposed with the container.
    private static IPatternQualityBuilder<TPattern> SetFeedback<TPattern>(
        IPatternQualityBuilder<TPattern> builder, IFeedbackSource<TPattern>? instance, Func<IServiceProvider, IFeedbackSource<TPattern>>? factory, bool isStore)
    {
        var services = builder.Services;
        services.RemoveAll<IFeedbackSource<TPattern>>();
        services.RemoveAll<IFeedbackStore<TPattern>>();
        if (instance is not null)
        {
            services.AddSingleton(instance);
            if (isStore)
            {
                services.AddSingleton((IFeedbackStore<TPattern>)instance);
            }
        }
        else
        {
            services.AddSingleton(factory!);
            if (isStore)
            {
                services.AddSingleton(sp => (IFeedbackStore<TPattern>)sp.GetRequiredService<IFeedbackSource<TPattern>>());
            }
        }

        return builder;
    }

    // Replace (not TryAdd): an explicit choice must beat the defaults in any call order.
    private static IPatternQualityBuilder<TPattern> Set<TPattern>(IPatternQualityBuilder<TPattern> builder, ServiceDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll(descriptor.ServiceType);
        builder.Services.Add(descriptor);
        return builder;
    }
}
