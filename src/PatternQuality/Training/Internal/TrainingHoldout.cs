using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Versioning;

namespace PatternQuality.Training.Internal;

/// <summary>A training run's holdout, scored by a champion under the same conditions as the candidate.</summary>
internal sealed class TrainingHoldout(TrainingResult result) : PromotionHoldout(result.TestLabels, result.TestScores)
{
    public override ReadOnlyMemory<float> ScoreChampion(StoredModel champion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(champion);
        var model = QualityModel.Load(champion);
        var version = champion.Metadata.Version;
        return result.CsvSource is { } csv ? ScoreCsv(model, version, csv, cancellationToken) : ScoreDataset(model, version);
    }

    private ReadOnlyMemory<float> ScoreDataset(QualityModel model, string version)
    {
        var test = result.TestData;
        var differences = model.Info.Schema.DescribeDifferences(test.Schema);
        if (differences.Count > 0)
        {
            throw new SchemaMismatchException(model.Info.Schema.Hash, test.Schema.Hash, differences.Take(5).ToArray());
        }

        var scores = new float[test.RowCount];
        model.Score(test.Features.Span, scores);
        return scores;
    }

    private static float[] ScoreCsv(QualityModel model, string version, CsvHoldoutSource csv, CancellationToken cancellationToken)
    {
        if (model.Columns is null)
        {
            throw new PatternQualityException($"version '{version}' reads numbered features, not the CSV columns of '{csv.TestPath ?? csv.TrainPath}'");
        }

        // History features replay the same rows from an empty state, as the candidate's did: the champion's saved
        // state may already hold these rows' labels, which would leak them into its holdout features.
        var extractor = RowFeatureExtractor.Restore(model.Columns, model.Info.Schema);
        var mapped = Map(csv.TrainPath, model, version, csv.Options, extractor, cancellationToken);
        if (csv.TestPath is not null)
        {
            mapped = Map(csv.TestPath, model, version, csv.Options, extractor, cancellationToken);
        }

        var rows = csv.TestRows is { } testRows ? mapped.Select(testRows) : mapped;
        var scores = new float[rows.RowCount];
        model.Score(rows.Features.Span, scores);
        return scores;
    }

    private static Dataset Map(string path, QualityModel model, string version, CsvLoadOptions options, FeatureExtractor<IReadOnlyDictionary<string, string?>> extractor, CancellationToken cancellationToken)
    {
        var load = CsvDatasetLoader.Load(path, options, extractor, cancellationToken);
        var missing = model.GetMissingColumns(load.Table.Header);
        return missing.Count > 0
            ? throw new PatternQualityException($"version '{version}' reads columns '{path}' lacks: {string.Join(", ", missing)}")
            : load.Dataset;
    }
}
