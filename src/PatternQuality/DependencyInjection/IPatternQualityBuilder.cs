namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Returned by <c>AddPatternQuality&lt;TPattern&gt;()</c>: the <c>Use*</c> extension methods of
/// <see cref="PatternQualityBuilderExtensions"/> plug the host's own feature extractor, feedback source and model store
/// into the PatternQuality services.
/// </summary>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
/// <remarks>
/// Like <c>IHttpClientBuilder</c> and <c>IHealthChecksBuilder</c>, the builder only carries the service collection, so
/// integration packages add their own <c>Use*</c> methods as extension methods in this namespace.
/// </remarks>
public interface IPatternQualityBuilder<TPattern>
{
    /// <summary>Gets the service collection being configured.</summary>
    IServiceCollection Services { get; }
}
