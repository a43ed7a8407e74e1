using Microsoft.Extensions.DependencyInjection;
using PatternQuality.Feedback;
using PatternQuality.Storage;

namespace PatternQuality.DependencyInjection.Internal;

/// <summary>
/// The in-memory defaults <c>AddPatternQuality</c> registers when the host registers none. They are registered through
/// these methods so that an integration package can tell them from a host's own choice by the descriptor alone (the
/// factory's declaring type, see <see cref="IsDefault"/>): the hosting package replaces exactly these with durable
/// stores, never an in-memory store the host picked on purpose.
/// </summary>
internal static class DefaultServices
{
    public static IModelStore ModelStore(IServiceProvider services) => new InMemoryModelStore();

    public static IFeedbackSource<TPattern> FeedbackSource<TPattern>(IServiceProvider services) => services.GetRequiredService<InMemoryFeedbackSource<TPattern>>();

    public static IFeedbackStore<TPattern> FeedbackStore<TPattern>(IServiceProvider services) => services.GetRequiredService<InMemoryFeedbackSource<TPattern>>();

    /// <summary>Returns whether <paramref name="descriptor"/> is one of these defaults.</summary>
    public static bool IsDefault(ServiceDescriptor descriptor) => descriptor.ImplementationFactory?.Method.DeclaringType == typeof(DefaultServices);
}
