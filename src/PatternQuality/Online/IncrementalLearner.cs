using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PatternQuality.Calibration;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Online.Internal;
using PatternQuality.Scoring;
using PatternQuality.Telemetry;
using PatternQuality.Trees;
using PatternQuality.Versioning;

namespace PatternQuality.Online;

/// <summary>
/// Learns from feedback as it arrives, without a full retrain: collects it in a bounded buffer, and on each update
/// scores the batch with the current model (prequential evaluation, drift detection), continues boosting on the batch
/// plus a replay window of recent rows, recalibrates, guards against a worse candidate and publishes the result to a
/// <see cref="QualityModelHolder"/>. Snapshots go to a <see cref="ModelVersionManager"/> with their feedback watermark,
/// so a restarted process resumes exactly where it stopped.
/// </summary>
/// <remarks>
/// <para>
/// The version manager's active version is the one source of truth for the served model. The learner builds on it:
/// before and after every update, and every <see cref="IncrementalLearnerOptions.ActiveVersionPollInterval"/> while
/// <see cref="RunAsync"/> runs, it compares the active version with <see cref="BaseVersion"/>. When someone else
/// activated a version (a gated or forced promotion, a rollback, another process), the learner adopts it, with its
/// calibrator and (when it has seen more feedback) its history and watermark, and discards the update it was computing
/// on the old lineage (the batch stays in the replay window, so the next update learns it on the adopted model).
/// Its own snapshots, compactions and drift retrains are saved as children of <see cref="BaseVersion"/> and activated
/// only if that is still the active version (<see cref="ModelVersionManager.TryActivateAsync"/>).
/// </para>
/// <para>
/// Thread-safe: any thread may add feedback and score (through the holder) while one update runs; updates are
/// serialized. Bad input is handled on purpose: duplicates (by id) are discarded and counted by the collector; a full
/// buffer pushes back (<see cref="AddAsync"/> waits, <see cref="TryAdd"/> refuses); out-of-order timestamps are
/// accepted and counted, and batches are learned in sequence order; records whose features cannot be extracted are
/// consumed, logged with their id, counted in <see cref="InvalidCount"/> and listed in the update result; a batch of
/// one class is added to the replay window but adds no trees until the window holds both classes.
/// </para>
/// <para>
/// The model's growth is bounded by <see cref="IncrementalLearnerOptions.MaximumTreeCount"/>; at the cap, and on a drift
/// alarm, the learner calls <see cref="FullRetrain"/> (when set) off the hot path and adopts its model.
/// </para>
/// </remarks>
/// <typeparam name="TPattern">The host application's pattern type.</typeparam>
public sealed partial class IncrementalLearner<TPattern> : IDisposable
{
    /// <summary>The learner name used as the telemetry tag and the trainer of saved versions.</summary>
    public const string LearnerName = "gbdt-incremental";

    /// <summary>
    /// The activation reason of the learner's snapshots (<see cref="ModelPropertyNames.ActivationReason"/>): a version
    /// activated with it, as a child of the version active before it, is the learner's own step, not an operator's change.
    /// </summary>
    public const string SnapshotReason = "incremental update";

    private readonly IncrementalLearnerOptions _options;
    private readonly FeatureExtractor<TPattern> _extractor;
    private readonly QualityModelHolder _holder;
    private readonly ModelVersionManager? _versions;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly PrequentialMonitor _monitor;
    private readonly UpdateBudgetMonitor _budget;
    private readonly PatternQualityMetrics _metrics;
    private readonly SemaphoreSlim _updateGate = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private int _disposed;
    private readonly Lock _retrainGate = new();
    private IncrementalUpdater _updater;
    private QualityModel _model;
    private long _watermark = -1;
    private long _consumed;
    private long _invalid;
    private long _updates;
    private int _acceptedSinceSnapshot;
    private DateTimeOffset _lastSnapshot;
    private string? _baseVersion;
    private long _skipThrough = -1;
    private Task? _retrain;
    private bool _compactionLogged;

    /// <summary>Initializes a new learner that updates the model in <paramref name="holder"/>.</summary>
    /// <param name="extractor">Turns patterns into features; its history state is updated with every consumed record.</param>
    /// <param name="holder">Holds the current model: a <see cref="QualityModel"/> with a boosted <see cref="TreeEnsembleModel"/> predictor.</param>
    /// <param name="options">The settings, copied and validated; <see langword="null"/> for the defaults.</param>
    /// <param name="versions">Where snapshots are saved and rollbacks come from; <see langword="null"/> for none.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="meterFactory">Creates the <c>PatternQuality</c> meter; the shared static meter when <see langword="null"/>.</param>
    /// <param name="driftDetector">Watches the prequential log loss; a <see cref="PageHinkleyDetector"/> with its defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="extractor"/> or <paramref name="holder"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is out of range.</exception>
    /// <exception cref="ArgumentException">The holder holds no model, or one that cannot be updated incrementally (not a boosted tree ensemble).</exception>
    /// <exception cref="SchemaMismatchException">The extractor's schema is not the model's.</exception>
    public IncrementalLearner(
        FeatureExtractor<TPattern> extractor,
        QualityModelHolder holder,
        IncrementalLearnerOptions? options = null,
        ModelVersionManager? versions = null,
        ILogger? logger = null,
        TimeProvider? timeProvider = null,
        IMeterFactory? meterFactory = null,
        IDriftDetector? driftDetector = null)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentNullException.ThrowIfNull(holder);
        _options = options?.Clone() ?? new IncrementalLearnerOptions();
        _options.Validate();
        _model = AsUpdatable(holder.Current, nameof(holder));
        _model.Info.Schema.EnsureCompatible(extractor.Schema);
        _extractor = extractor;
        _holder = holder;
        _versions = versions;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        var metrics = _metrics = PatternQualityMetrics.Create(meterFactory);
        Trigger = new UpdateTrigger(_options.Trigger, _time);
        Collector = new FeedbackCollector<TPattern>(_options.Collector, Trigger, _logger, meterFactory);
        _monitor = new PrequentialMonitor(LearnerName, new PrequentialEvaluator(_options.PrequentialWindowSize), driftDetector ?? new PageHinkleyDetector(), _logger, metrics);
        _monitor.DriftDetected += (_, e) => DriftDetected?.Invoke(this, e);
        _budget = new UpdateBudgetMonitor(_options.UpdateBudget, LearnerName, _logger, metrics, _time);
        _budget.SlowUpdate += (_, e) => SlowUpdate?.Invoke(this, e);
        _updater = new IncrementalUpdater(_options, (TreeEnsembleModel)_model.Predictor, _model.Calibrator);
        _baseVersion = _model.Info.Version;
        _lastSnapshot = _time.GetUtcNow();
        if (extractor.HistoryFeatures.Count > 0 && !ReferenceEquals(_model.History, extractor.History))
        {
            // One history state: the model's when the extractor has observed nothing yet (a freshly built extractor
            // beside a loaded model), then the learner keeps it current and the served model carries it.
            if (_model.History is not null && extractor.History.Features.Count == 0)
            {
                extractor.History.ReplaceWith(_model.History);
            }

            _model = _model.WithHistory(extractor.History);
            holder.Swap(_model);
        }
    }

    /// <summary>Raised (on the updating thread) when the prequential loss drifts; a full retrain follows when <see cref="FullRetrain"/> is set.</summary>
    public event EventHandler<DriftDetectedArguments>? DriftDetected;

    /// <summary>Raised (on the updating thread) when an update takes longer than <see cref="IncrementalLearnerOptions.UpdateBudget"/>.</summary>
    public event EventHandler<SlowUpdateArguments>? SlowUpdate;

    /// <summary>Raised (on the updating thread) after every update that consumed feedback, accepted or not.</summary>
    public event EventHandler<IncrementalUpdateResult>? ModelUpdated;

    /// <summary>Gets or sets the full retrain run off the hot path on a drift alarm or when the model reaches <see cref="IncrementalLearnerOptions.MaximumTreeCount"/>.</summary>
    /// <value>The default value is <see langword="null"/>: no retrain; at the cap updates only recalibrate.</value>
    /// <remarks>
    /// The delegate typically runs the training pipeline on all feedback; it must return a <see cref="QualityModel"/>
    /// with a boosted tree predictor and the same schema. Updates continue on the old model while it runs; its model
    /// then replaces theirs.
    /// </remarks>
    public Func<CancellationToken, Task<QualityModel>>? FullRetrain { get; set; }

    /// <summary>Gets the bounded buffer feedback waits in; <see cref="AddAsync"/> and <see cref="TryAdd"/> write to it.</summary>
    public FeedbackCollector<TPattern> Collector { get; }

    /// <summary>Gets the trigger that tells <see cref="RunAsync"/> when an update is due (count, age or request).</summary>
    public UpdateTrigger Trigger { get; }

    /// <summary>Gets the model the learner publishes to the holder.</summary>
    public QualityModel Model => Volatile.Read(ref _model);

    /// <summary>Gets the watermark: every record up to it has been consumed by an update.</summary>
    public FeedbackWatermark Watermark => new(Interlocked.Read(ref _watermark));

    /// <summary>Gets the stored version the learner's model descends from (the active version it last adopted or published), or <see langword="null"/> before the first.</summary>
    public string? BaseVersion => Volatile.Read(ref _baseVersion);

    /// <summary>Gets how many records updates have consumed (since the model's initial training, across resumes when snapshots are saved).</summary>
    public long ConsumedCount => Interlocked.Read(ref _consumed);

    /// <summary>Gets how many consumed records were skipped because their features could not be extracted.</summary>
    public long InvalidCount => Interlocked.Read(ref _invalid);

    /// <summary>Gets how many updates have run.</summary>
    public long UpdateCount => Interlocked.Read(ref _updates);

    /// <summary>Gets the pending full retrain, or <see langword="null"/>; for hosts that want to wait for it.</summary>
    public Task? PendingRetrain
    {
        get
        {
            lock (_retrainGate)
            {
                return _retrain;
            }
        }
    }

    /// <summary>Returns the rolling prequential metrics: how the model of the moment scored feedback before learning from it.</summary>
    /// <returns>A point-in-time copy.</returns>
    public PrequentialMetrics GetPrequentialMetrics() => _monitor.Evaluator.GetMetrics();

    /// <summary>Adds feedback, waiting for room when the buffer is full (backpressure).</summary>
    /// <param name="record">The feedback.</param>
    /// <param name="cancellationToken">Stops waiting; the record is then not added.</param>
    /// <returns><see cref="FeedbackWriteResult.Accepted"/> or <see cref="FeedbackWriteResult.Duplicate"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    /// <exception cref="OperationCanceledException">Cancelled while waiting for room.</exception>
    public ValueTask<FeedbackWriteResult> AddAsync(FeedbackRecord<TPattern> record, CancellationToken cancellationToken = default)
        => Collector.WriteAsync(record, cancellationToken);

    /// <summary>Adds feedback if there is room, without waiting.</summary>
    /// <param name="record">The feedback.</param>
    /// <returns>Accepted, discarded as a duplicate, or refused because the buffer is full (the caller keeps the record).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    public FeedbackWriteResult TryAdd(FeedbackRecord<TPattern> record) => Collector.TryWrite(record);

    /// <summary>Runs one update on the feedback waiting in the buffer (at most <see cref="IncrementalLearnerOptions.MaximumBatchSize"/> records).</summary>
    /// <param name="cancellationToken">Stops waiting for a running update; an update that has taken its records runs to completion (tens of milliseconds).</param>
    /// <returns>What the update did.</returns>
    /// <exception cref="OperationCanceledException">Cancelled before the update started.</exception>
    public async Task<IncrementalUpdateResult> UpdateAsync(CancellationToken cancellationToken = default)
    {
        await _updateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var records = Collector.DrainBatch(_options.MaximumBatchSize);
            if (records.Count == 0)
            {
                // Clears a pending request, so a background loop does not spin on an empty buffer.
                Trigger.NotifyConsumed(0);
                return new IncrementalUpdateResult { Watermark = Watermark, TreeCount = Model.Predictor is TreeEnsembleModel t ? t.TreeCount : 0, Note = "No feedback was waiting." };
            }

            return await UpdateCoreAsync(records, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _updateGate.Release();
        }
    }

    /// <summary>Runs updates whenever the <see cref="Trigger"/> says one is due, until cancelled.</summary>
    /// <param name="cancellationToken">Stops the loop; it then returns normally (as it does when the learner is disposed).</param>
    /// <returns>A task that completes when the loop stops.</returns>
    /// <remarks>A failed update is logged and the loop goes on; its records stay unconsumed (the watermark does not move), so <see cref="ResumeAsync"/> learns them again.</remarks>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var poll = _versions is null ? Timeout.InfiniteTimeSpan : _options.ActiveVersionPollInterval;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (await WaitForUpdateAsync(poll, cancellationToken).ConfigureAwait(false))
                {
                    await UpdateAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // Woken by the poll interval: follow a version activated elsewhere even while no feedback arrives.
                    await SyncWithActiveVersionAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                // The learner was disposed under the loop: stop rather than spin on a disposed trigger.
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.UpdateFailed(_logger, ex, LearnerName, 0);
            }
        }
    }

    /// <summary>Waits for the trigger, or until <paramref name="poll"/> elapses; returns whether an update is due.</summary>
    private async Task<bool> WaitForUpdateAsync(TimeSpan poll, CancellationToken cancellationToken)
    {
        if (poll == Timeout.InfiniteTimeSpan)
        {
            await Trigger.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }

        using var timeout = new CancellationTokenSource(poll, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await Trigger.WaitAsync(linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Stops a pending full retrain and releases the buffer and the trigger. Calling it again does nothing.</summary>
    public void Dispose()
    {
        // Idempotent: a host may dispose the learner and then the container that created it.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _lifetime.Cancel();
        Collector.Dispose();
        Trigger.Dispose();
        _lifetime.Dispose();
    }

    private static QualityModel AsUpdatable(IQualityModel? model, string parameterName)
    {
        if (model is null)
        {
            throw new ArgumentException("The holder holds no model yet; train one (for example with GradientBoostingLearner) and publish it before learning incrementally.", parameterName);
        }

        if (model is not QualityModel { Predictor: TreeEnsembleModel { IsRandomForest: false } } quality)
        {
            throw new ArgumentException($"Incremental updates need a QualityModel with a boosted TreeEnsembleModel predictor; the model is a {model.GetType().Name} trained by '{model.Info.Trainer}'.", parameterName);
        }

        return quality;
    }

    private async Task<IncrementalUpdateResult> UpdateCoreAsync(IReadOnlyList<FeedbackRecord<TPattern>> records, CancellationToken cancellationToken)
    {
        var started = _budget.Start();

        // Rebase: a version activated since the last update is adopted first, so this batch is learned on it.
        await SyncCoreAsync(cancellationToken).ConfigureAwait(false);
        var learnedByAdopted = Interlocked.Read(ref _skipThrough);
        if (learnedByAdopted >= 0)
        {
            records = records.Where(r => r.Sequence > learnedByAdopted).ToArray();
        }

        var schema = _updater.Schema;
        var f = schema.Count;
        var features = new float[(long)records.Count * f];
        var labels = new float[records.Count];
        var weights = new float[records.Count];
        var valid = new List<FeedbackRecord<TPattern>>(records.Count);
        var invalid = new List<string>();
        var maxSequence = Interlocked.Read(ref _watermark);
        foreach (var record in records)
        {
            maxSequence = Math.Max(maxSequence, record.Sequence);
            var i = valid.Count;
            try
            {
                _extractor.Extract(record.Pattern, features.AsSpan(i * f, f));
            }
            catch (PatternQualityException ex)
            {
                invalid.Add(record.Id);
                Log.InvalidFeedback(_logger, record.Id, ex.Message);
                continue;
            }

            labels[i] = record.Label;
            weights[i] = record.Weight;
            valid.Add(record);
        }

        var n = valid.Count;
        var drift = false;
        IncrementalUpdateOutcome outcome = default;
        var current = Model;
        if (n > 0)
        {
            var batch = new Dataset(schema, features[..(n * f)], labels[..n], weights[..n]);

            // Test, then train: the batch is scored by the model that has not seen it.
            var scores = new float[n];
            current.Score(batch.Features.Span, scores);
            drift = _monitor.Observe(batch.Labels.Span, scores);
            outcome = _updater.Update(batch, CancellationToken.None);

            // History features see the batch only after it was extracted, so no record sees its own label.
            foreach (var record in valid)
            {
                _extractor.Observe(record);
            }
        }
        else
        {
            outcome = new IncrementalUpdateOutcome(false, 0, 0, double.NaN, double.NaN, "Every record in the batch was invalid.");
        }

        // Discard: a version activated while this update was computing wins; the batch stays in the replay window,
        // so the next update learns it on the adopted model.
        var skipBefore = Interlocked.Read(ref _skipThrough);
        var superseded = (outcome.Accepted || outcome.ServedChanged) && await SyncCoreAsync(cancellationToken).ConfigureAwait(false);
        if (superseded)
        {
            var historyThrough = Interlocked.Read(ref _skipThrough);
            if (historyThrough != skipBefore)
            {
                // The adopted history replaced the one this batch was observed into: add back what it had not seen.
                foreach (var record in valid.Where(r => r.Sequence > historyThrough))
                {
                    _extractor.Observe(record);
                }
            }

            outcome = outcome with { Accepted = false, ServedChanged = false, TreesAdded = 0, Note = $"Discarded: version {BaseVersion} was activated while the update ran; the learner adopted it." };
        }

        _metrics.RecordUpdateOutcome(LearnerName, outcome.Accepted ? "accepted" : superseded ? "discarded" : "rejected");
        if (outcome.Accepted || outcome.ServedChanged)
        {
            // Feedback lag: from the user's answer to the model that learned it being served.
            var now = _time.GetUtcNow();
            foreach (var record in valid)
            {
                _metrics.RecordFeedbackLag(LearnerName, now - record.Timestamp);
            }

            var info = current.Info with { Trainer = LearnerName, Version = null, CreatedAt = _time.GetUtcNow() };
            var next = new QualityModel(_updater.Model, _updater.Calibrator, info, _extractor.History, current.Columns);
            Volatile.Write(ref _model, next);
            _holder.Swap(next);
        }

        if (outcome.Accepted)
        {
            _acceptedSinceSnapshot++;
        }

        InterlockedMax(ref _watermark, maxSequence);
        Interlocked.Add(ref _consumed, records.Count);
        Interlocked.Add(ref _invalid, invalid.Count);
        Interlocked.Increment(ref _updates);
        var duration = _time.GetElapsedTime(started);
        _budget.Record(duration, records.Count);
        Log.IncrementalUpdate(_logger, records.Count, outcome.Accepted, outcome.TreesAdded, _updater.Model.TreeCount, duration.TotalMilliseconds);

        string? snapshot = null;
        if (outcome.Accepted && SnapshotDue())
        {
            snapshot = await TrySaveSnapshotAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_updater.NeedsCompaction)
        {
            StartRetrain("compaction: the model reached MaximumTreeCount");
        }
        else if (drift)
        {
            StartRetrain("drift on the prequential loss");
        }

        var result = new IncrementalUpdateResult
        {
            BatchSize = records.Count,
            Accepted = outcome.Accepted,
            TreesAdded = outcome.TreesAdded,
            ServesUpdatedModel = outcome.ServesUpdated,
            TreeCount = _updater.UpdatedModel.TreeCount,
            Duration = duration,
            Watermark = new FeedbackWatermark(maxSequence),
            CurrentLoss = outcome.CurrentLoss,
            CandidateLoss = outcome.CandidateLoss,
            DriftDetected = drift,
            InvalidRecordIds = invalid,
            SnapshotVersion = snapshot,
            Note = outcome.Note,
        };
        ModelUpdated?.Invoke(this, result);
        return result;
    }

    private void StartRetrain(string reason)
    {
        var retrain = FullRetrain;
        if (retrain is null)
        {
            if (_updater.NeedsCompaction && !_compactionLogged)
            {
                _compactionLogged = true;
                Log.CompactionNeeded(_logger, _updater.Model.TreeCount);
            }

            return;
        }

        lock (_retrainGate)
        {
            if (_retrain is { IsCompleted: false })
            {
                return;
            }

            Log.RetrainStarted(_logger, reason);
            var token = _lifetime.Token;
            _retrain = Task.Run(() => RetrainAsync(retrain, reason, token), CancellationToken.None);
        }
    }

    private async Task RetrainAsync(Func<CancellationToken, Task<QualityModel>> retrain, string reason, CancellationToken cancellationToken)
    {
        try
        {
            var model = await retrain(cancellationToken).ConfigureAwait(false);
            var quality = AsUpdatable(model, nameof(FullRetrain));
            quality.Info.Schema.EnsureCompatible(_updater.Schema);
            await _updateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_versions is null)
                {
                    Install(quality);
                }
                else if (await PublishCoreAsync(_versions, quality, reason, cancellationToken).ConfigureAwait(false) is null)
                {
                    // Someone activated another version while the retrain ran: theirs is served, this one is dropped.
                    return;
                }
            }
            finally
            {
                _updateGate.Release();
            }

            _compactionLogged = false;
            Log.RetrainFinished(_logger, ((TreeEnsembleModel)quality.Predictor).TreeCount);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The learner was disposed; nothing to adopt.
        }
        catch (Exception ex)
        {
            Log.RetrainFailed(_logger, ex);
        }
    }

    // Under the update gate: makes model the learner's and the holder's, rescoring the replay window with it.
    private void Install(QualityModel model)
    {
        model = model.WithHistory(_extractor.History);
        _updater.Replace((TreeEnsembleModel)model.Predictor, model.Calibrator);
        Volatile.Write(ref _model, model);
        _holder.Swap(model);
        _monitor.Reset();
    }

    private static void InterlockedMax(ref long location, long value)
    {
        var current = Interlocked.Read(ref location);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
