using PatternQuality.Telemetry;
using PatternQuality.Feedback;
using PatternQuality.Online.Internal;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Versioning;

namespace PatternQuality.Online;

public sealed partial class IncrementalLearner<TPattern>
{
    /// <summary>The version property that carries the consumed-record count across restarts.</summary>
    private const string ConsumedProperty = "incremental.consumed";

    /// <summary>
    /// The version property of a saved learner position: the activation stamp (<see cref="ModelPropertyNames.ActivatedAt"/>)
    /// of the version, its parent, that the position belongs to.
    /// </summary>
    private const string PositionOfProperty = "incremental.position_of";

    /// <summary>
    /// Catches up after a restart: reads the records after the watermark from <paramref name="source"/> and learns
    /// from them in batches, so no feedback is lost and none is counted twice.
    /// </summary>
    /// <param name="source">Where the feedback is kept.</param>
    /// <param name="cancellationToken">Stops between batches; what was learned so far stays learned.</param>
    /// <returns>How many records were replayed.</returns>
    /// <remarks>
    /// With a version manager, the learner first adopts the active version (its model, calibrator, history state,
    /// watermark and consumed count) unless its model already is that version with a watermark; then it replays what
    /// came after. Records at or before the watermark are skipped even if the source returns them.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="Data.SchemaMismatchException">The active version reads other features than the extractor builds; the message names the differences.</exception>
    public async Task<int> ResumeAsync(IFeedbackSource<TPattern> source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        await _updateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_versions is not null && !await SyncCoreAsync(cancellationToken).ConfigureAwait(false)
                && Interlocked.Read(ref _watermark) < 0
                && await _versions.GetActiveVersionAsync(cancellationToken).ConfigureAwait(false) is { } active)
            {
                // The host loaded the active version itself: adopt it once more from the store, which takes its
                // watermark, count and history, or the position saved when this activation of it was adopted.
                await AdoptVersionCoreAsync(_versions, active, cancellationToken).ConfigureAwait(false);
            }

            var from = Watermark;
            var batch = new List<FeedbackRecord<TPattern>>(_options.MaximumBatchSize);
            var replayed = 0;
            await foreach (var record in source.ReadAsync(from, cancellationToken).ConfigureAwait(false))
            {
                if (!from.IsBefore(record.Sequence) || record.Sequence <= Interlocked.Read(ref _watermark))
                {
                    continue;
                }

                batch.Add(record);
                if (batch.Count == _options.MaximumBatchSize)
                {
                    replayed += batch.Count;
                    await UpdateCoreAsync(batch.ToArray(), cancellationToken).ConfigureAwait(false);
                    batch.Clear();
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            if (batch.Count > 0)
            {
                replayed += batch.Count;
                await UpdateCoreAsync(batch.ToArray(), cancellationToken).ConfigureAwait(false);
            }

            // Records the host also queued while the replay read them (sequence at or before the watermark) are skipped.
            InterlockedMax(ref _skipThrough, Interlocked.Read(ref _watermark));
            Log.Resumed(_logger, from.ToString(), replayed);
            return replayed;
        }
        finally
        {
            _updateGate.Release();
        }
    }

    /// <summary>
    /// Saves the current model, its history state and the watermark as a child of <see cref="BaseVersion"/> and
    /// activates it, unless another version was activated meanwhile.
    /// </summary>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <returns>The saved and activated version's metadata, or <see langword="null"/> when another version had been activated (the learner adopted it instead; nothing of its own was activated).</returns>
    /// <exception cref="InvalidOperationException">The learner has no version manager.</exception>
    public async Task<ModelMetadata?> SaveSnapshotAsync(CancellationToken cancellationToken = default)
    {
        var versions = _versions ?? throw new InvalidOperationException("The incremental learner was created without a ModelVersionManager; there is nowhere to save snapshots.");
        await _updateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await PublishCoreAsync(versions, Model, SnapshotReason, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _updateGate.Release();
        }
    }

    /// <summary>
    /// Adopts the version manager's active version if it is not <see cref="BaseVersion"/>: a promotion, a rollback or
    /// another process's change becomes the model the learner serves and builds on.
    /// </summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns><see langword="true"/> when a version was adopted.</returns>
    /// <remarks>
    /// <see cref="RunAsync"/> calls this every <see cref="IncrementalLearnerOptions.ActiveVersionPollInterval"/>, and every
    /// update calls it before it starts and before it publishes. The adopted model brings its calibrator; when its
    /// watermark is ahead of the learner's, it also brings its history state, watermark and consumed count (otherwise
    /// the learner's own history already holds all it saw), so no feedback is counted twice or dropped.
    /// </remarks>
    /// <exception cref="Data.SchemaMismatchException">The active version reads other features than the extractor builds.</exception>
    /// <exception cref="ArgumentException">The active version cannot be updated incrementally (not a boosted tree ensemble).</exception>
    /// <exception cref="NotSupportedException">The active version is a multiclass model; the learner keeps its model and position.</exception>
    public async Task<bool> SyncWithActiveVersionAsync(CancellationToken cancellationToken = default)
    {
        if (_versions is null)
        {
            return false;
        }

        await _updateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SyncCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _updateGate.Release();
        }
    }

    /// <summary>
    /// Rolls the version manager back (to the previously active version, or a named one) and makes that model current.
    /// </summary>
    /// <param name="to">The version id or alias; <see langword="null"/> for the version active before the current one.</param>
    /// <param name="reason">Why; recorded on the versions.</param>
    /// <param name="cancellationToken">Cancels the rollback.</param>
    /// <returns>The now active version's metadata.</returns>
    /// <remarks>
    /// The same path as any other activation: the manager rolls back, then the learner adopts the active version
    /// (<see cref="SyncWithActiveVersionAsync"/>). The watermark stays where it is: feedback consumed since that version
    /// is not learned again (it still counts in the history features), so nothing is counted twice. The replay window
    /// is kept and rescored with the restored model.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The learner has no version manager, or there is nothing to roll back to.</exception>
    /// <exception cref="ArgumentException">The version's model cannot be updated incrementally.</exception>
    public async Task<ModelMetadata> RollbackAsync(string? to = null, string reason = "rollback", CancellationToken cancellationToken = default)
    {
        var versions = _versions ?? throw new InvalidOperationException("The incremental learner was created without a ModelVersionManager; there is nothing to roll back to.");
        var metadata = await versions.RollbackAsync(to, reason, cancellationToken).ConfigureAwait(false);
        await SyncWithActiveVersionAsync(cancellationToken).ConfigureAwait(false);
        Log.IncrementalRolledBack(_logger, metadata.Version, Watermark.ToString());
        return metadata;
    }

    private static long? ReadConsumed(ModelMetadata metadata) =>
        metadata.Properties.TryGetValue(ConsumedProperty, out var c)
        && long.TryParse(c, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var consumed) ? consumed : null;

    private bool SnapshotDue()
    {
        if (_versions is null)
        {
            return false;
        }

        return (_options.SnapshotEveryUpdates > 0 && _acceptedSinceSnapshot >= _options.SnapshotEveryUpdates)
            || (_options.SnapshotInterval != Timeout.InfiniteTimeSpan && _time.GetUtcNow() - _lastSnapshot >= _options.SnapshotInterval);
    }

    private async Task<string?> TrySaveSnapshotAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await PublishCoreAsync(_versions!, Model, SnapshotReason, cancellationToken).ConfigureAwait(false))?.Version;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A store outage must not stop learning; the next accepted update tries again.
            Log.SnapshotFailed(_logger, ex);
            return null;
        }
    }

    // Under the update gate. Adopts the active version when someone else activated it; returns whether it did.
    private async Task<bool> SyncCoreAsync(CancellationToken cancellationToken)
    {
        if (_versions is null)
        {
            return false;
        }

        var active = await _versions.GetActiveVersionAsync(cancellationToken).ConfigureAwait(false);
        if (active is null || string.Equals(active, _baseVersion, StringComparison.Ordinal))
        {
            return false;
        }

        await AdoptVersionCoreAsync(_versions, active, cancellationToken).ConfigureAwait(false);
        return true;
    }

    // Under the update gate.
    private async Task AdoptVersionCoreAsync(ModelVersionManager versions, string version, CancellationToken cancellationToken)
    {
        var stored = await versions.LoadAsync(version, cancellationToken).ConfigureAwait(false);
        var behind = stored.Metadata.WatermarkSequence < Interlocked.Read(ref _watermark);
        if (!behind && await FindPositionAsync(versions, stored.Metadata, cancellationToken).ConfigureAwait(false) is { } position)
        {
            // This activation of the version was adopted before by a learner that was ahead of it (a rollback), and
            // that learner's position was saved: resume there, not at the version's own older watermark.
            stored = await versions.LoadAsync(position.Version, cancellationToken).ConfigureAwait(false);
            Log.PositionResumed(_logger, version, position.Version, new FeedbackWatermark(position.WatermarkSequence).ToString());
        }

        if (MulticlassQualityModel.IsMulticlass(stored.Content.Span))
        {
            // Refused before anything changes: the learner updates binary approve/reject models, and its served model,
            // watermark and base version stay as they were until a binary version is active again.
            throw new NotSupportedException(
                $"The active version '{stored.Metadata.Version}' is a multiclass model; the incremental learner updates binary (approve/reject) models only. "
                + "Serve a multiclass model with a QualityModelHolder and PatternScorer.PredictClasses, retrain it with QualityTrainer.TrainMulticlassAsync, or activate a binary version.");
        }

        var model = AsUpdatable(QualityModel.Load(stored.Content.ToArray()), nameof(version));
        model.Info.Schema.EnsureCompatible(_updater.Schema);
        model = model.WithInfo(model.Info with { Version = version });
        var metadata = stored.Metadata;
        if (metadata.WatermarkSequence > Interlocked.Read(ref _watermark))
        {
            // The adopted model has learned feedback this learner has not: take its state and skip those records.
            if (model.History is not null)
            {
                _extractor.History.ReplaceWith(model.History);
            }

            Interlocked.Exchange(ref _watermark, metadata.WatermarkSequence);
            Interlocked.Exchange(ref _skipThrough, metadata.WatermarkSequence);
            if (ReadConsumed(metadata) is { } consumed)
            {
                Interlocked.Exchange(ref _consumed, consumed);
            }
        }

        Install(model);
        Volatile.Write(ref _baseVersion, version);
        _acceptedSinceSnapshot = 0;
        _lastSnapshot = _time.GetUtcNow();
        Log.Adopted(_logger, version, Watermark.ToString());
        if (behind)
        {
            await SavePositionAsync(versions, model, stored.Metadata, cancellationToken).ConfigureAwait(false);
        }
    }

    // Under the update gate, right after adopting a version behind the learner's watermark (a rollback, or a promotion
    // of an older model). The feedback between the two watermarks is deliberately not learned onto the adopted version
    // (it belonged to the lineage that was left), but until the next snapshot only memory knows that: a process killed
    // now would restart from the version's own watermark and learn it again. So the position (the version's trees, the
    // learner's history and watermark) is saved at once as an inactive child. It is not activated: activating it would
    // make it the version a second rollback returns from, so `pq rollback` twice would land on the same trees again.
    private async Task SavePositionAsync(ModelVersionManager versions, QualityModel model, ModelMetadata adopted, CancellationToken cancellationToken)
    {
        if (adopted.Properties.GetValueOrDefault(ModelPropertyNames.ActivatedAt) is not { } activation)
        {
            return;
        }

        try
        {
            var saved = await versions.SaveAsync(model.WithHistory(_extractor.History.Clone()).ToBytes(), new ModelSaveRequest
            {
                ParentVersion = adopted.Version,
                SchemaHash = model.Info.Schema.Hash,
                Watermark = Watermark,
                TrainingRows = ConsumedCount,
                Trainer = model.Info.Trainer,
                Properties = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [ConsumedProperty] = ConsumedCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    [PositionOfProperty] = activation,
                },
            }, cancellationToken).ConfigureAwait(false);
            Log.PositionSaved(_logger, adopted.Version, Watermark.ToString(), saved.Version);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store is unavailable: learning goes on; the gap stays as it was before positions existed.
            Log.PositionSaveFailed(_logger, ex, adopted.Version);
        }
    }

    // The newest position saved for this activation of the version (matched by its activation stamp, so a position
    // saved for an earlier activation of the same version is never taken), if it is ahead of the version itself.
    private static async Task<ModelMetadata?> FindPositionAsync(ModelVersionManager versions, ModelMetadata version, CancellationToken cancellationToken)
    {
        if (version.Properties.GetValueOrDefault(ModelPropertyNames.ActivatedAt) is not { } activation)
        {
            return null;
        }

        ModelMetadata? newest = null;
        foreach (var candidate in await versions.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(candidate.ParentVersion, version.Version, StringComparison.Ordinal)
                && string.Equals(candidate.Properties.GetValueOrDefault(PositionOfProperty), activation, StringComparison.Ordinal)
                && candidate.WatermarkSequence > version.WatermarkSequence
                && (newest is null || candidate.WatermarkSequence > newest.WatermarkSequence))
            {
                newest = candidate;
            }
        }

        return newest;
    }

    // Under the update gate: saves model (with the history state and the watermark) as a child of the base version and
    // activates it only if the base is still active; otherwise adopts the active version and returns null.
    private async Task<ModelMetadata?> PublishCoreAsync(ModelVersionManager versions, QualityModel model, string reason, CancellationToken cancellationToken)
    {
        var active = await versions.GetActiveVersionAsync(cancellationToken).ConfigureAwait(false);
        if (active is not null && !string.Equals(active, _baseVersion, StringComparison.Ordinal))
        {
            await AdoptVersionCoreAsync(versions, active, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var watermark = Watermark;
        var bytes = model.WithHistory(_extractor.History.Clone()).ToBytes();
        var metrics = GetPrequentialMetrics();
        var recorded = new Dictionary<string, double>(StringComparer.Ordinal);
        if (double.IsFinite(metrics.LogLoss))
        {
            recorded["prequential_logloss"] = metrics.LogLoss;
        }

        if (double.IsFinite(metrics.Auc))
        {
            recorded["prequential_auc"] = metrics.Auc;
        }

        var saved = await versions.SaveAsync(bytes, new ModelSaveRequest
        {
            ParentVersion = active,
            SchemaHash = model.Info.Schema.Hash,
            Watermark = watermark,
            TrainingRows = ConsumedCount,
            Trainer = ReferenceEquals(model, Model) ? LearnerName : model.Info.Trainer,
            Metrics = recorded,
            Properties = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [ConsumedProperty] = ConsumedCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        }, cancellationToken).ConfigureAwait(false);
        var activated = await versions.TryActivateAsync(saved.Version, active, reason, cancellationToken).ConfigureAwait(false);
        if (activated is null)
        {
            // Lost the race to a promotion or rollback: the saved version stays inactive, the active one is adopted.
            Log.SnapshotSuperseded(_logger, saved.Version);
            if (await versions.GetActiveVersionAsync(cancellationToken).ConfigureAwait(false) is { } now)
            {
                await AdoptVersionCoreAsync(versions, now, cancellationToken).ConfigureAwait(false);
            }

            return null;
        }

        var published = model.WithInfo(model.Info with { Version = saved.Version });
        if (ReferenceEquals(model, Model))
        {
            Volatile.Write(ref _model, published);
            _holder.Swap(published);
        }
        else
        {
            Install(published);
        }

        Volatile.Write(ref _baseVersion, saved.Version);
        _acceptedSinceSnapshot = 0;
        _lastSnapshot = _time.GetUtcNow();
        Log.SnapshotSaved(_logger, saved.Version, watermark.ToString());
        return activated;
    }
}
