using Microsoft.Extensions.DependencyInjection;

namespace PatternQuality.DependencyInjection.Internal;

internal sealed class PatternQualityBuilder<TPattern>(IServiceCollection services) : IPatternQualityBuilder<TPattern>
{
    public IServiceCollection Services { get; } = services;
}
