using System.Globalization;
using PatternQuality.Feedback;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Training;
using PatternQuality.Versioning;

namespace PatternQuality.Hosting.Internal;

/// <summary>
/// The quality gate on feedback neither side has learned: the candidate is judged on its temporal holdout, and the
/// champion side is the newest version of the active lineage whose watermark ends before the holdout starts, so a
/// champion that keeps learning (the incremental learner) is never judged on its own training data.
/// </summary>
internal static class UnseenFeedbackGate
{
    /// <summary>The version property naming the version that scored the holdout for the champion side.</summary>
    public const string JudgedAgainstProperty = "gate.champion";

    /// <summary>The version property with the first feedback sequence of the holdout (the champion side learned none from there on).</summary>
    public const string UnseenFromProperty = "gate.unseen_from";

    /// <summary>
    /// Proposes <paramref name="result"/>, trained while <paramref name="trainedOn"/> was active. If the active version no
    /// longer follows from it by the learner's snapshots alone (<see cref="ActiveLineage"/>), the candidate is recorded
    /// as rejected: a rollback or promotion made while it trained is never overridden.
    /// </summary>
    public static async Task<ModelProposalResult> ProposeAsync<TPattern>(
        ModelVersionManager versions, TrainingResult result, IFeedbackSource<TPattern> source, string? trainedOn, CancellationToken cancellationToken)
    {
        var active = await versions.GetActiveVersionAsync(cancellationToken).ConfigureAwait(false);
        var all = await versions.ListAsync(cancellationToken).ConfigureAwait(false);
        if (!ActiveLineage.FollowsFrom(all, active, trainedOn))
        {
            return await ProposeAsync(versions, result, new PinnedHoldout(result.CreateHoldout(), trainedOn, accepted: null), cancellationToken).ConfigureAwait(false);
        }

        var firstHeldOut = await FirstHeldOutSequenceAsync(result, source, cancellationToken).ConfigureAwait(false);
        if (active is null || firstHeldOut is null)
        {
            return await ProposeAsync(versions, result, new PinnedHoldout(result.CreateHoldout(), trainedOn, active), cancellationToken).ConfigureAwait(false);
        }

        var byId = all.ToDictionary(v => v.Version, StringComparer.Ordinal);
        ModelMetadata? judge = null;
        for (var v = byId.GetValueOrDefault(active); v is not null; v = v.ParentVersion is { } p ? byId.GetValueOrDefault(p) : null)
        {
            if (v.WatermarkSequence < firstHeldOut)
            {
                judge = v;
                break;
            }
        }

        if (judge is null || judge.Version == active)
        {
            // The active version has not learned the holdout (or no ancestor is clean): the ordinary gate is fair, or the best there is.
            return await ProposeAsync(versions, result, new PinnedHoldout(result.CreateHoldout(), trainedOn, active), cancellationToken).ConfigureAwait(false);
        }

        var stored = await versions.LoadAsync(judge.Version, cancellationToken).ConfigureAwait(false);
        var champion = QualityModel.Load(stored.Content.ToArray());
        var test = result.TestData;
        if (champion.Info.Schema.Hash != test.Schema.Hash)
        {
            return await ProposeAsync(versions, result, new PinnedHoldout(result.CreateHoldout(), trainedOn, active), cancellationToken).ConfigureAwait(false);
        }

        var championScores = new float[test.RowCount];
        champion.Score(test.Features.Span, championScores);
        var candidate = result.Model;
        var request = new ModelSaveRequest
        {
            SchemaHash = candidate.Info.Schema.Hash,
            Watermark = result.Watermark ?? FeedbackWatermark.Start,
            TrainingRows = result.Report.Data.TrainRows,
            Trainer = candidate.Info.Trainer,
            Metrics = result.Report.Metrics,
            Properties = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [JudgedAgainstProperty] = judge.Version,
                [UnseenFromProperty] = firstHeldOut.Value.ToString(CultureInfo.InvariantCulture),
            },
        };
        var holdout = new AncestorHoldout(result.TestLabels, result.TestScores, active, championScores);
        return await versions.ProposeAsync(candidate.ToBytes(), request, holdout, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static Task<ModelProposalResult> ProposeAsync(ModelVersionManager versions, TrainingResult result, PinnedHoldout holdout, CancellationToken cancellationToken) =>
        versions.ProposeAsync(result.Model.ToBytes(), result.CreateSaveRequest(), holdout, cancellationToken: cancellationToken);

    /// <summary>
    /// Scores from a clean ancestor of the active version, valid only while that active version is still the champion:
    /// if another process promotes meanwhile, the candidate is rejected as not comparable rather than judged on stale evidence.
    /// </summary>
    private sealed class AncestorHoldout(ReadOnlyMemory<float> labels, ReadOnlyMemory<float> candidateScores, string expectedActive, ReadOnlyMemory<float> judgeScores)
        : PromotionHoldout(labels, candidateScores)
    {
        public override ReadOnlyMemory<float> ScoreChampion(StoredModel champion, CancellationToken cancellationToken) =>
            champion.Metadata.Version == expectedActive
                ? judgeScores
                : throw new PatternQualityException($"the judge was chosen for '{expectedActive}', but '{champion.Metadata.Version}' is active now");
    }

    // The smallest sequence among records at or after the holdout's first timestamp; null without timestamps.
    private static async Task<long?> FirstHeldOutSequenceAsync<TPattern>(TrainingResult result, IFeedbackSource<TPattern> source, CancellationToken cancellationToken)
    {
        if (result.TestData.Timestamps is not { Length: > 0 } timestamps)
        {
            return null;
        }

        var start = long.MaxValue;
        foreach (var t in timestamps.Span)
        {
            start = Math.Min(start, t);
        }

        long? first = null;
        await foreach (var r in source.ReadAsync(FeedbackWatermark.Start, cancellationToken).ConfigureAwait(false))
        {
            if (r.Timestamp.ToUnixTimeMilliseconds() >= start && (first is null || r.Sequence < first))
            {
                first = r.Sequence;
            }
        }

        return first;
    }
}
