using Cronos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Hosting.Internal;
using PatternQuality.Online;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Storage.Sqlite;
using PatternQuality.Training;
using PatternQuality.Versioning;

namespace PatternQuality.Hosting;

/// <summary>
/// The hosted lifecycle of PatternQuality: on start, loads the active version with its schema and history (or trains
/// the first one once enough feedback exists, serving the default score until then), resumes the incremental learner
/// from its watermark and runs it, follows versions activated by other processes, retrains on a cron schedule and on
/// a drift alarm through the quality gate, and stops within the host's shutdown timeout.
/// </summary>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
/// <remarks>
/// Start fails fast, before the host serves a request, when no feature extractor is registered or when the active
/// version reads other features than the extractor builds (the exception names the differences). Trainings never
/// overlap: one at a time in the process, and one at a time across processes sharing a <see cref="FileSystemModelStore"/>
/// or a <see cref="SqliteModelStore"/> (a lock file in the store directory, or beside the database file), or an
/// <see cref="ISharedModelStore"/> (the store's lock, PostgreSQL's advisory lock). With an <see cref="ISharedModelStore"/>,
/// an activation by another instance is followed as soon as the store announces it, not at the next poll.
/// </remarks>
public sealed class PatternQualityHostedService<TPattern> : IHostedService, IDisposable
{
    private readonly IServiceProvider _services;
    private readonly PatternQualityHostingOptions _options;
    private readonly PatternQualityHostState _state;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _training = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private IFeatureExtractor<TPattern>? _extractor;
    private IncrementalLearner<TPattern>? _learner;
    private int _retrainRequested;
    private int _disposed;

    /// <summary>Initializes the lifecycle; the container creates it.</summary>
    /// <param name="services">Resolves the PatternQuality services.</param>
    /// <param name="options">The lifecycle's settings.</param>
    /// <param name="state">What the health check reads.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/> for the system clock.</param>
    /// <exception cref="OptionsValidationException">The options are invalid (every problem listed).</exception>
    public PatternQualityHostedService(
        IServiceProvider services,
        IOptions<PatternQualityHostingOptions> options,
        PatternQualityHostState state,
        ILogger<PatternQualityHostedService<TPattern>>? logger = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(state);
        _services = services;
        _options = options.Value;

        // Without a container nothing ran ValidateOnStart: the same validator, every problem at once.
        _options.Validate();
        _state = state;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the incremental learner once it runs (after the first model exists), or <see langword="null"/>.</summary>
    public IncrementalLearner<TPattern>? Learner => Volatile.Read(ref _learner);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No feature extractor is registered.</exception>
    /// <exception cref="PatternQuality.Data.SchemaMismatchException">The active version reads other features than the registered extractor builds.</exception>
    /// <exception cref="NotSupportedException">The active version is a multiclass model (the lifecycle serves binary models; a multiclass version activated later is refused the same way, logged, and the served model is kept).</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _extractor = _services.GetService<IFeatureExtractor<TPattern>>() ?? throw new InvalidOperationException(
            $"No IFeatureExtractor<{typeof(TPattern).Name}> is registered; call UseFeatureExtractor on the builder AddPatternQuality<{typeof(TPattern).Name}>() returns. The host does not start without it.");
        WarnAboutInMemoryDefaults();

        if (!await LoadActiveAsync(cancellationToken).ConfigureAwait(false))
        {
            await TryTrainFirstAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_services.GetRequiredService<QualityModelHolder>().Current is not null)
        {
            await StartLearnerAsync(cancellationToken).ConfigureAwait(false);
        }

        _loops.Add(Task.Run(() => FollowAsync(_stopping.Token), CancellationToken.None));
        if (_options.RetrainSchedule is { } schedule)
        {
            var cron = PatternQualityHostingOptions.TryParseSchedule(schedule, out _)!;
            _loops.Add(Task.Run(() => ScheduleAsync(cron, _stopping.Token), CancellationToken.None));
        }

        HostingLog.Started(_logger, _services.GetRequiredService<QualityModelHolder>().Current?.Info.Version ?? "(none: serving the default score)");
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            // Stopped and disposed already: a host (WebApplicationFactory's, for one) may call StopAsync again.
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            // Every loop returns on cancellation; a training in flight is cancelled and leaves no trace in the store.
            await Task.WhenAll(_loops).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            HostingLog.StopTimedOut(_logger);
            return;
        }

        // What the learner learned since its last snapshot is saved, so the next start serves exactly this model. That
        // includes a learner that adopted a version behind its own watermark (a rollback, a promotion of an older
        // model): its history is ahead of that version's, and a start from the version alone would replay onto it.
        if (Learner is { } learner && (learner.Model.Info.Version is null || await IsAheadOfItsVersionAsync(learner, cancellationToken).ConfigureAwait(false)))
        {
            try
            {
                await learner.SaveSnapshotAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Nothing is lost: the feedback is in the log and is learned again after the watermark at the next start.
                HostingLog.FollowFailed(_logger, ex);
            }
        }
    }

    private async Task<bool> IsAheadOfItsVersionAsync(IncrementalLearner<TPattern> learner, CancellationToken cancellationToken)
    {
        try
        {
            var versions = await _services.GetRequiredService<ModelVersionManager>().ListAsync(cancellationToken).ConfigureAwait(false);
            var stored = versions.FirstOrDefault(v => string.Equals(v.Version, learner.BaseVersion, StringComparison.Ordinal));
            return stored is not null && stored.WatermarkSequence < learner.Watermark.Sequence;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store cannot be read: nothing is lost, the log is replayed after the version's watermark at the next start.
            HostingLog.FollowFailed(_logger, ex);
            return false;
        }
    }

    /// <summary>Runs a full retrain now and proposes it through the quality gate (unless one is already running).</summary>
    /// <param name="reason">Why, for the log.</param>
    /// <param name="cancellationToken">Cancels the training.</param>
    /// <returns>The gate's result, or <see langword="null"/> when a training was already running here or in another process.</returns>
    public async Task<ModelProposalResult?> RetrainAsync(string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (!await _training.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        try
        {
            await using var crossProcess = await TrainingLock.TryAcquireAsync(_services.GetRequiredService<IModelStore>(), cancellationToken).ConfigureAwait(false);
            if (crossProcess is { Acquired: false })
            {
                HostingLog.TrainingSkipped(_logger, reason);
                return null;
            }

            HostingLog.TrainingStarted(_logger, reason);
            var typed = _extractor as FeatureExtractor<TPattern> ?? throw new InvalidOperationException(
                $"Retraining needs the registered extractor to be a FeatureExtractor<{typeof(TPattern).Name}> (built with FeatureExtractorBuilder).");
            var trainer = _services.GetRequiredService<QualityTrainer>();
            var versions = _services.GetRequiredService<ModelVersionManager>();
            var source = _services.GetRequiredService<IFeedbackSource<TPattern>>();
            // The retrain is pinned to what is active now: a rollback or promotion made while it trains wins over it.
            var trainedOn = await versions.GetActiveVersionAsync(cancellationToken).ConfigureAwait(false);
            var result = await trainer.TrainAsync(source, typed.WithHistory(new HistoryState()), cancellationToken: cancellationToken).ConfigureAwait(false);
            var proposal = await UnseenFeedbackGate.ProposeAsync(versions, result, source, trainedOn, cancellationToken).ConfigureAwait(false);
            _state.RecordTraining(null, _time.GetUtcNow());
            HostingLog.TrainingFinished(_logger, proposal.Version.Version, proposal.Promoted, proposal.Decision.Reason);
            if (proposal.Promoted)
            {
                // One path: the learner (or the follower) adopts the activation from the store.
                if (Learner is { } learner)
                {
                    await learner.SyncWithActiveVersionAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await LoadActiveAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            return proposal;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _state.RecordTraining(ex, _time.GetUtcNow());
            HostingLog.TrainingFailed(_logger, ex, reason);
            throw;
        }
        finally
        {
            _training.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Idempotent: the container disposes the instance once per registration (its own type and IHostedService).
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _stopping.Dispose();
        _training.Dispose();
    }

    private void WarnAboutInMemoryDefaults()
    {
        if (_services.GetService<DefaultStores>() is { } defaults && _services.GetService<IModelStore>() is SqliteModelStore sqlite && defaults.IsDefault(sqlite))
        {
            HostingLog.DefaultDatabase(_logger, sqlite.DatabasePath);
        }

        var environment = _services.GetService<IHostEnvironment>();
        if (environment is not null && environment.IsDevelopment())
        {
            return;
        }

        if (_services.GetService<IModelStore>() is InMemoryModelStore)
        {
            HostingLog.InMemoryDefault(_logger, "model store (InMemoryModelStore): every version is lost when the process stops", environment?.EnvironmentName ?? "unknown");
        }

        if (_services.GetService<IFeedbackSource<TPattern>>() is InMemoryFeedbackSource<TPattern>)
        {
            HostingLog.InMemoryDefault(_logger, "feedback source (InMemoryFeedbackSource): feedback is lost when the process stops", environment?.EnvironmentName ?? "unknown");
        }
    }

    // Loads the active version into the holder with its history; false when there is none.
    private async Task<bool> LoadActiveAsync(CancellationToken cancellationToken)
    {
        var versions = _services.GetRequiredService<ModelVersionManager>();
        var stored = await versions.LoadActiveAsync(cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return false;
        }

        var holder = _services.GetRequiredService<QualityModelHolder>();
        if (holder.Current?.Info.Version == stored.Metadata.Version)
        {
            return true;
        }

        if (MulticlassQualityModel.IsMulticlass(stored.Content.Span))
        {
            // The lifecycle learns from approve/reject feedback, retrains and gates binary models: a multiclass version
            // would be scored as an approval probability it does not have. Refuse it; the served model stays as it was.
            throw new NotSupportedException(
                $"The active version '{stored.Metadata.Version}' is a multiclass model; the hosted lifecycle (feedback, incremental learning, retraining, the gate) serves binary models. "
                + "Serve a multiclass model with a QualityModelHolder and PatternScorer.PredictClasses / ExplainClass, or activate a binary version.");
        }

        var model = QualityModel.Load(stored.Content.ToArray());
        model.Info.Schema.EnsureCompatible(_extractor!.Schema);
        model = model.WithInfo(model.Info with { Version = stored.Metadata.Version, CreatedAt = model.Info.CreatedAt ?? stored.Metadata.CreatedAt });
        if (_extractor is FeatureExtractor<TPattern> { HistoryFeatures.Count: > 0 } typed && model.History is not null)
        {
            typed.History.ReplaceWith(model.History);
            model = model.WithHistory(typed.History);
        }

        holder.Swap(model);
        HostingLog.Loaded(_logger, stored.Metadata.Version);
        return true;
    }

    private async Task TryTrainFirstAsync(CancellationToken cancellationToken)
    {
        var available = await CountFeedbackAsync(cancellationToken).ConfigureAwait(false);
        if (available < _options.MinimumFeedbackForFirstTraining)
        {
            HostingLog.WaitingForFeedback(_logger, available, _options.MinimumFeedbackForFirstTraining);
            return;
        }

        await RetrainAsync("first model", cancellationToken).ConfigureAwait(false);
    }

    private async Task<long> CountFeedbackAsync(CancellationToken cancellationToken)
    {
        var source = _services.GetRequiredService<IFeedbackSource<TPattern>>();
        if (source is IFeedbackStore<TPattern> store)
        {
            return await store.CountAsync(cancellationToken).ConfigureAwait(false);
        }

        long count = 0;
        await foreach (var _ in source.ReadAsync(FeedbackWatermark.Start, cancellationToken).ConfigureAwait(false))
        {
            if (++count >= _options.MinimumFeedbackForFirstTraining)
            {
                break;
            }
        }

        return count;
    }

    private async Task StartLearnerAsync(CancellationToken cancellationToken)
    {
        if (Learner is not null)
        {
            return;
        }

        var learner = _services.GetService<IncrementalLearner<TPattern>>();
        if (learner is null)
        {
            return;
        }

        var maximumTrees = _services.GetService<IOptions<IncrementalLearnerOptions>>()?.Value.MaximumTreeCount ?? int.MaxValue;
        learner.ModelUpdated += (_, result) =>
        {
            _state.RecordUpdate(null, _time.GetUtcNow());
            if (_options.RetrainOnDrift && result.TreeCount >= maximumTrees)
            {
                // Compaction goes through the gate like any retrain.
                Interlocked.Exchange(ref _retrainRequested, 1);
            }
        };
        learner.DriftDetected += (_, _) =>
        {
            _state.RecordDrift(_time.GetUtcNow());
            if (_options.RetrainOnDrift)
            {
                Interlocked.Exchange(ref _retrainRequested, 1);
            }
        };
        if (_options.RetrainOnDrift)
        {
            // The host retrains (drift, compaction) through the gate instead of the learner's own ungated retrain.
            learner.FullRetrain = null;
        }

        var replayed = await learner.ResumeAsync(_services.GetRequiredService<IFeedbackSource<TPattern>>(), cancellationToken).ConfigureAwait(false);
        HostingLog.LearnerResumed(_logger, replayed, learner.Watermark.ToString());
        Volatile.Write(ref _learner, learner);
        _loops.Add(Task.Run(() => learner.RunAsync(_stopping.Token), CancellationToken.None));
    }

    // Without a model: trains the first one once enough feedback exists. Without a learner: follows the active version.
    // With a learner: runs drift retrains (the learner follows the active version itself).
    private async Task FollowAsync(CancellationToken stopping)
    {
        var lastCount = _time.GetUtcNow();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var announced = await WaitForNextCheckAsync(stopping).ConfigureAwait(false);
                var holder = _services.GetRequiredService<QualityModelHolder>();
                if (holder.Current is null)
                {
                    // Counting a generic source reads it, so at most every 5 s; a feedback store counts cheaply.
                    var countDue = _services.GetService<IFeedbackSource<TPattern>>() is IFeedbackStore<TPattern> || _time.GetUtcNow() - lastCount >= TimeSpan.FromSeconds(5);
                    if (!await LoadActiveAsync(stopping).ConfigureAwait(false) && countDue)
                    {
                        lastCount = _time.GetUtcNow();
                        await TryTrainFirstAsync(stopping).ConfigureAwait(false);
                    }

                    if (holder.Current is not null)
                    {
                        await StartLearnerAsync(stopping).ConfigureAwait(false);
                    }
                }
                else if (Learner is not { } learner)
                {
                    await LoadActiveAsync(stopping).ConfigureAwait(false);
                }
                else if (announced)
                {
                    // The learner polls on its own interval; an announced activation is adopted now.
                    await learner.SyncWithActiveVersionAsync(stopping).ConfigureAwait(false);
                }

                if (Interlocked.Exchange(ref _retrainRequested, 0) == 1)
                {
                    await RetrainAsync("drift alarm or compaction", stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Logged and retried on the next tick; the health check reports it.
                _state.RecordUpdate(ex, _time.GetUtcNow());
                HostingLog.FollowFailed(_logger, ex);
            }
        }
    }

    // A shared store (PostgreSQL) announces activations: the loop wakes at once instead of at its next poll. Any other
    // store, or a shared one that cannot listen, is polled every ActiveVersionPollInterval.
    private async Task<bool> WaitForNextCheckAsync(CancellationToken stopping)
    {
        if (_services.GetService<IModelStore>() is ISharedModelStore shared)
        {
            try
            {
                return await shared.WaitForActivationAsync(_options.ActiveVersionPollInterval, stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                HostingLog.FollowFailed(_logger, ex);
            }
        }

        await Task.Delay(_options.ActiveVersionPollInterval, _time, stopping).ConfigureAwait(false);
        return false;
    }

    private async Task ScheduleAsync(CronExpression cron, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var now = _time.GetUtcNow();
            var next = cron.GetNextOccurrence(now, TimeZoneInfo.Utc);
            if (next is null)
            {
                return;
            }

            try
            {
                await Task.Delay(next.Value - now, _time, stopping).ConfigureAwait(false);
                await RetrainAsync("schedule " + _options.RetrainSchedule, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // Recorded and logged by RetrainAsync; the next occurrence tries again.
            }
        }
    }
}
