using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PatternQuality.AspNetCore;
using PatternQuality.AspNetCore.Internal;
using PatternQuality.Hosting;
using PatternQuality.Scoring;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the PatternQuality HTTP endpoints (the ones <c>pq serve</c> serves) into an ASP.NET Core app.</summary>
public static class PatternQualityEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>POST /score</c>, <c>POST /feedback</c>, <c>GET /status</c>, <c>POST /retrain</c> and <c>GET /health</c> over
    /// the hosted lifecycle registered by <c>AddPatternQuality&lt;TPattern&gt;()...AddHostedLifecycle()</c>.
    /// </summary>
    /// <typeparam name="TPattern">The host application's pattern type.</typeparam>
    /// <param name="endpoints">The app, or a group (<c>app.MapGroup("/quality").MapPatternQuality&lt;T&gt;()</c>) for a prefix.</param>
    /// <param name="configure">Configures how patterns are read from request bodies, or <see langword="null"/> for the defaults.</param>
    /// <returns>A builder for conventions on every endpoint mapped (<c>RequireAuthorization</c>, rate limiting, ...).</returns>
    /// <remarks>
    /// <list type="bullet">
    /// <item><c>POST /score</c> <c>{"rows":[pattern,...]}</c>: <c>{"version":"...","scores":[p,...]}</c>, calibrated
    /// probabilities of approval; 503 with the reason while no model exists yet, 400 naming a pattern it cannot read.</item>
    /// <item><c>POST /feedback</c> <c>{"records":[{"id":"...","row":pattern,"approved":true,"timestamp":"...","userId":"..."},...]}</c>
    /// (timestamp and userId optional): 202 <c>{"accepted":n,"duplicates":n}</c> once the records are durable, with or
    /// without a model.</item>
    /// <item><c>GET /status</c>: the served version, its parent, the records the learner consumed and those pending, its
    /// update count and prequential AUC and log loss.</item>
    /// <item><c>POST /retrain</c>: a gated full retrain now, <c>{"version","promoted","champion","decision"}</c>; 409 while
    /// another training runs on the store or when there is nothing to train on.</item>
    /// <item><c>GET /health</c>: the PatternQuality health check as JSON (503 when Unhealthy, until a model exists).</item>
    /// </list>
    /// <para>Metrics are the host's choice of exporter: the meter is <c>PatternQualityTelemetry.MeterName</c>.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The hosted lifecycle for <typeparamref name="TPattern"/> is not registered.</exception>
    public static IEndpointConventionBuilder MapPatternQuality<TPattern>(this IEndpointRouteBuilder endpoints, Action<PatternQualityEndpointOptions<TPattern>>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        if (services.GetService<IServiceProviderIsService>() is { } isService && !isService.IsService(typeof(PatternQualityHostedService<TPattern>)))
        {
            throw new InvalidOperationException(
                $"MapPatternQuality<{typeof(TPattern).Name}>() serves the hosted lifecycle: register it first with services.AddPatternQuality<{typeof(TPattern).Name}>()...AddHostedLifecycle().");
        }

        var options = new PatternQualityEndpointOptions<TPattern>();
        configure?.Invoke(options);
        var json = services.GetService<IOptions<JsonOptions>>()?.Value.SerializerOptions ?? new JsonOptions().SerializerOptions;
        var handlers = new PatternQualityEndpoints<TPattern>(PatternReaders.Create(options, services.GetRequiredService<QualityModelHolder>(), json));

        var group = endpoints.MapGroup(string.Empty);
        group.MapPost("/score", context => ExecuteAsync(context, handlers.ScoreAsync));
        group.MapPost("/feedback", context => ExecuteAsync(context, handlers.FeedbackAsync));
        group.MapGet("/status", context => ExecuteAsync(context, handlers.StatusAsync));
        group.MapPost("/retrain", context => ExecuteAsync(context, handlers.RetrainAsync));
        group.MapHealthChecks("/health", new HealthCheckOptions
        {
            Predicate = check => check.Name == PatternQualityHostingExtensions.HealthCheckName,
            ResponseWriter = PatternQualityEndpoints<TPattern>.WriteHealthAsync,
        });
        return group;
    }

    // Plain request delegates (no parameter binding by reflection): the handler's result is written here.
    private static async Task ExecuteAsync(HttpContext context, Func<HttpContext, Task<IResult>> handler)
        => await (await handler(context).ConfigureAwait(false)).ExecuteAsync(context).ConfigureAwait(false);
}
