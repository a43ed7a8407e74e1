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
    /// Catches up after a restart: reads the records after the watermark from <paramref name="source"/> and learns
    /// from them in batches, so no feedback is lost and none is counted twice.
    /// </summary>
    /// <param name="source">Where the feedback is kept.</param>
    /// <param name="cancellationToken">Stops between batches; what was learned so far stays learned.</param>
    /// <returns>How many records were replayed.</returns>
    /// <remarks>
    /// When the learner has consumed nothing yet and has a version manager, the watermark (and the consumed count) come
    /// from the active version, which the host should have loaded into the holder and the extractor
    /// (<see cref="QualityModel.Load(byte[])"/>, <see cref="Features.FeatureExtractor{TPattern}.WithHistory"/>).
    /// Records at or before the watermark are skipped even if the source returns them.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public async Task<int> ResumeAsync(IFeedbackSource<TPattern> source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        await _updateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Interlocked.Read(ref _watermark) < 0 && _versions is not null
                && await _versions.GetActiveVersionAsync(cancellationToken).ConfigureAwait(false) is { } active)
            {
                var metadata = (await _versions.ListAsync(cancellationToken).ConfigureAwait(false)).First(m => m.Version == active);
                Interlocked.Exchange(ref _watermark, metadata.WatermarkSequence);
                Interlocked.Exchange(ref _consumed, metadata.Properties.TryGetValue(ConsumedProperty, out var c) && long.TryParse(c, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var consumed) ? consumed : 0);
                _parentVersion = active;
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

            IncrementalLog.Resumed(_logger, from.ToString(), replayed);
            return replayed;
        }
        finally
        {
            _updateGate.Release();
        }
    }

    /// <summary>Saves the current model, its history state and the watermark as a new version and activates it.</summary>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <returns>The saved version's metadata.</returns>
    /// <exception cref="InvalidOperationException">The learner has no version manager.</exception>
    public async Task<ModelMetadata> SaveSnapshotAsync(CancellationToken cancellationToken = default)
    {
        var versions = _versions ?? throw new InvalidOperationException("The incremental learner was created without a ModelVersionManager; there is nowhere to save snapshots.");
        await _updateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SaveSnapshotCoreAsync(versions, cancellationToken).ConfigureAwait(false);
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
    /// The watermark stays where it is: feedback consumed since that version is not learned again (it still counts in
    /// the history features), so nothing is counted twice. The replay window is kept and rescored with the restored model.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The learner has no version manager, or there is nothing to roll back to.</exception>
    /// <exception cref="ArgumentException">The version's model cannot be updated incrementally.</exception>
    public async Task<ModelMetadata> RollbackAsync(string? to = null, string reason = "rollback", CancellationToken cancellationToken = default)
    {
        var versions = _versions ?? throw new InvalidOperationException("The incremental learner was created without a ModelVersionManager; there is nothing to roll back to.");
        var metadata = await versions.RollbackAsync(to, reason, cancellationToken).ConfigureAwait(false);
        var stored = await versions.LoadAsync(metadata.Version, cancellationToken).ConfigureAwait(false);
        var model = AsUpdatable(QualityModel.Load(stored.Content.ToArray()), nameof(to));
        model.Info.Schema.EnsureCompatible(_updater.Schema);
        model = model.WithInfo(model.Info with { Version = metadata.Version });
        await AdoptAsync(model, model.Calibrator, cancellationToken).ConfigureAwait(false);
        _parentVersion = metadata.Version;
        IncrementalLog.RolledBack(_logger, metadata.Version, new FeedbackWatermark(metadata.WatermarkSequence).ToString());
        return metadata;
    }

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
            return (await SaveSnapshotCoreAsync(_versions!, cancellationToken).ConfigureAwait(false)).Version;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A store outage must not stop learning; the next accepted update tries again.
            IncrementalLog.SnapshotFailed(_logger, ex);
            return null;
        }
    }

    // Called under the update gate, so the model, the history state and the watermark agree.
    private async Task<ModelMetadata> SaveSnapshotCoreAsync(ModelVersionManager versions, CancellationToken cancellationToken)
    {
        var model = Model;
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
            ParentVersion = _parentVersion,
            SchemaHash = model.Info.Schema.Hash,
            Watermark = watermark,
            TrainingRows = ConsumedCount,
            Trainer = LearnerName,
            Metrics = recorded,
            Properties = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [ConsumedProperty] = ConsumedCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        }, cancellationToken).ConfigureAwait(false);
        await versions.ActivateAsync(saved.Version, "incremental update", cancellationToken).ConfigureAwait(false);
        _parentVersion = saved.Version;
        _acceptedSinceSnapshot = 0;
        _lastSnapshot = _time.GetUtcNow();
        var published = model.WithInfo(model.Info with { Version = saved.Version });
        Volatile.Write(ref _model, published);
        _holder.Swap(published);
        IncrementalLog.SnapshotSaved(_logger, saved.Version, watermark.ToString());
        return saved;
    }
}
