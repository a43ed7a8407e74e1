using PatternQuality.Data;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Versioning;

namespace PatternQuality.Training.Internal;

/// <summary>A multiclass run's holdout, scored by a champion: through the champion's own CSV columns when both read CSV rows, else as feature vectors of the same schema.</summary>
internal sealed class MulticlassTrainingHoldout(MulticlassTrainingResult result)
    : MulticlassPromotionHoldout(result.Test.Labels, result.HoldoutProbabilities, result.Model.ClassNames)
{
    public override ReadOnlyMemory<float> ScoreChampion(StoredModel champion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(champion);
        var version = champion.Metadata.Version;
        var bytes = champion.Content.ToArray();
        bool multiclass;
        try
        {
            multiclass = MulticlassQualityModel.IsMulticlass(bytes);
        }
        catch (Serialization.ModelFormatException ex)
        {
            throw new ModelStoreCorruptedException(champion.Location ?? $"model version '{version}'", ex.Message, ex);
        }

        if (!multiclass)
        {
            throw new PatternQualityException($"version '{version}' is a binary (approve/reject) model");
        }

        var model = MulticlassQualityModel.Load(champion);
        if (!model.ClassNames.SequenceEqual(ClassNames, StringComparer.Ordinal))
        {
            throw new PatternQualityException($"version '{version}' predicts the classes {string.Join(", ", model.ClassNames)}, the candidate {string.Join(", ", ClassNames)}");
        }

        var features = result.HoldoutTable is { } table && model.Columns is not null
            ? Map(model, version, table, result.HoldoutTableRows, cancellationToken)
            : SameSchema(model, result.Test);
        var probabilities = new float[result.Test.RowCount * ClassNames.Count];
        model.PredictProbabilities(features, probabilities);
        return probabilities;
    }

    private static float[] SameSchema(MulticlassQualityModel model, Dataset test)
    {
        var differences = model.Info.Schema.DescribeDifferences(test.Schema);
        return differences.Count > 0
            ? throw new SchemaMismatchException(model.Info.Schema.Hash, test.Schema.Hash, differences.Take(5).ToArray())
            : test.Features.ToArray();
    }

    private static float[] Map(MulticlassQualityModel model, string version, CsvTable table, IReadOnlyList<int>? rows, CancellationToken cancellationToken)
    {
        var missing = model.GetMissingColumns(table.Header);
        if (missing.Count > 0)
        {
            throw new PatternQualityException($"version '{version}' reads columns the holdout lacks: {string.Join(", ", missing)}");
        }

        var extractor = model.CreateRowExtractor();
        var width = model.Info.Schema.Count;
        var count = rows?.Count ?? table.RowCount;
        var features = new float[(long)count * width];
        for (var i = 0; i < count; i++)
        {
            if ((i & 0x3FF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            extractor.Extract(table.GetRow(rows?[i] ?? i), features.AsSpan(i * width, width));
        }

        return features;
    }
}
