using System.Globalization;
using PatternQuality.Scoring;
using PatternQuality.Serialization;
using PatternQuality.Storage;
using PatternQuality.Versioning;

namespace PatternQuality.Training;

/// <summary>Puts a freshly trained model through the quality gate in one call.</summary>
public static class ModelVersionManagerTrainingExtensions
{
    /// <summary>
    /// Stores <paramref name="result"/>'s model as a candidate and promotes it only if it beats the active model on the
    /// candidate's own holdout (<see cref="TrainingResult.TestData"/>), scored by both models.
    /// </summary>
    /// <param name="versions">The version manager.</param>
    /// <param name="result">The training result.</param>
    /// <param name="cancellationToken">Cancels the proposal.</param>
    /// <returns>The stored candidate and the gate's decision.</returns>
    /// <remarks>
    /// When no version is active the candidate is promoted. When the active version cannot score the holdout (its file
    /// is damaged, or it reads another feature schema), there is nothing to compare with: the candidate is stored as
    /// <see cref="ModelAliases.Challenger"/>, not promoted, and the decision says why; promote it deliberately with
    /// <see cref="ModelVersionManager.ActivateAsync"/>.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static async Task<ModelProposalResult> ProposeAsync(this ModelVersionManager versions, TrainingResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(result);
        var candidate = result.Model;
        var request = new ModelSaveRequest
        {
            SchemaHash = candidate.Info.Schema.Hash,
            Watermark = result.Watermark ?? Feedback.FeedbackWatermark.Start,
            TrainingRows = result.Report.Data.TrainRows,
            Trainer = candidate.Info.Trainer,
            Metrics = result.Report.Metrics,
        };

        var stored = await versions.LoadActiveAsync(cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return await versions.ProposeAsync(candidate.ToBytes(), request, result.TestLabels, ReadOnlyMemory<float>.Empty, result.TestScores, cancellationToken).ConfigureAwait(false);
        }

        var championScores = TryScore(stored, result, out var why);
        if (championScores is null)
        {
            // Nothing comparable: store the candidate as challenger through a gate that cannot pass.
            var metadata = await versions.SaveAsync(candidate.ToBytes(), request with
            {
                Properties = new Dictionary<string, string>(StringComparer.Ordinal) { ["decision"] = why },
            }, cancellationToken).ConfigureAwait(false);
            metadata = await versions.SetAliasAsync(ModelAliases.Challenger, metadata.Version, cancellationToken).ConfigureAwait(false);
            var decision = new PromotionDecision(false, string.Create(CultureInfo.InvariantCulture, $"Not promoted: {why}"));
            return new ModelProposalResult(metadata, decision, stored.Metadata.Version);
        }

        return await versions.ProposeAsync(candidate.ToBytes(), request, result.TestLabels, championScores, result.TestScores, cancellationToken).ConfigureAwait(false);
    }

    private static float[]? TryScore(StoredModel stored, TrainingResult result, out string why)
    {
        QualityModel champion;
        try
        {
            champion = QualityModel.Load(stored.Content.ToArray());
        }
        catch (ModelFormatException ex)
        {
            why = $"the active version {stored.Metadata.Version} cannot be read ({ex.Message})";
            return null;
        }

        var schema = result.TestData.Schema;
        if (champion.Info.Schema.Hash != schema.Hash)
        {
            why = $"the active version {stored.Metadata.Version} reads other features: " + string.Join("; ", champion.Info.Schema.DescribeDifferences(schema));
            return null;
        }

        var scores = new float[result.TestData.RowCount];
        champion.Score(result.TestData.Features.Span, scores);
        why = string.Empty;
        return scores;
    }
}
