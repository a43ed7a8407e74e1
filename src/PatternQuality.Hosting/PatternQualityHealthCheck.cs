using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using PatternQuality.Scoring;

namespace PatternQuality.Hosting;

/// <summary>
/// Reports whether PatternQuality can serve: Unhealthy with no model; Degraded when the model is older than
/// <see cref="PatternQualityHostingOptions.MaximumModelAge"/>, the last update or training failed, or the drift detector
/// fired since the last training; Healthy otherwise. The data names the version and the reasons.
/// </summary>
public sealed class PatternQualityHealthCheck : IHealthCheck
{
    private readonly QualityModelHolder _holder;
    private readonly PatternQualityHostState _state;
    private readonly PatternQualityHostingOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Initializes the check; the container creates it.</summary>
    /// <param name="holder">The served model.</param>
    /// <param name="state">What the hosted lifecycle has seen.</param>
    /// <param name="options">The thresholds.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/> for the system clock.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid (every problem listed).</exception>
    public PatternQualityHealthCheck(QualityModelHolder holder, PatternQualityHostState state, IOptions<PatternQualityHostingOptions> options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(holder);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        _holder = holder;
        _state = state;
        _options = options.Value;
        _options.Validate();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var model = _holder.Current;
        if (model is null)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("No model yet: every pattern gets the default score."));
        }

        var data = new Dictionary<string, object> { ["version"] = model.Info.Version ?? "(unsaved)" };
        var problems = new List<string>();
        if (model.Info.CreatedAt is { } created && _time.GetUtcNow() - created > _options.MaximumModelAge)
        {
            problems.Add($"the model was built {created:O}, more than {_options.MaximumModelAge} ago");
        }

        if (_state.LastUpdateError is { } update)
        {
            problems.Add($"the last update failed: {update.Message}");
        }

        if (_state.LastTrainingError is { } training)
        {
            problems.Add($"the last training failed: {training.Message}");
        }

        if (_state.DriftSince is { } drift)
        {
            problems.Add($"drift detected at {drift:O}");
        }

        return Task.FromResult(problems.Count == 0
            ? HealthCheckResult.Healthy($"Serving version {data["version"]}.", data)
            : HealthCheckResult.Degraded(string.Join("; ", problems), data: data));
    }
}
