using System.CommandLine;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Versioning;

namespace PatternQuality.Cli.Commands;

/// <summary>A stored model version, deserialized.</summary>
internal sealed record LoadedModel(string Version, QualityModel Model, ModelMetadata Metadata);

/// <summary>Rows of a data file mapped into a model's feature layout, with the raw CSV table when there is one.</summary>
internal sealed record MappedRows(int RowCount, float[] Features, float[]? Labels, CsvTable? Table, Dataset? Dataset);

/// <summary>
/// Loads a model from the store and maps a data file through the model's own saved columns, so categories line up
/// with training and a file that lacks the model's inputs is an error naming them, not a column of silent missing values.
/// </summary>
internal static class ModelInput
{
    public static async Task<LoadedModel> LoadAsync(ModelVersionManager manager, string storeDirectory, string? version, CancellationToken cancellationToken)
    {
        StoredModel stored;
        if (version is null)
        {
            stored = await manager.LoadActiveAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The model store '{storeDirectory}' has no active model version; train one with 'pq train' or name one with --version.");
        }
        else
        {
            stored = await manager.LoadAsync(version, cancellationToken).ConfigureAwait(false);
        }

        return new LoadedModel(stored.Metadata.Version, QualityModel.Load(stored), stored.Metadata);
    }

    /// <summary>Loads labelled rows (evaluate, report); history features continue causally from the model's saved state.</summary>
    public static MappedRows LoadLabelled(DataArguments data, ParseResult result, LoadedModel loaded, CancellationToken cancellationToken)
    {
        var path = result.GetValue(data.Data)!;
        var model = loaded.Model;
        if (data.IsSvmLight(result))
        {
            var dataset = LoadSvmLight(data, result, loaded, path, cancellationToken);
            return new MappedRows(dataset.RowCount, dataset.Features.ToArray(), dataset.Labels.ToArray(), null, dataset);
        }

        RequireColumns(loaded, path);
        var options = data.ToCsvOptions(result, requireLabel: true);
        options.GradedLabels = model.IsRanking;

        var table = data.ReadTable(result, path, options, cancellationToken);
        CheckColumns(table, loaded, path);
        var load = data.IsParquet(result, path)
            ? CsvDatasetLoader.Load(table, options, model.CreateRowExtractor(), cancellationToken)
            : CsvDatasetLoader.Load(path, options, model.CreateRowExtractor(), cancellationToken);
        var rows = load.Dataset;
        if (options.GroupColumn is not null && rows.QueryBoundaries is null && rows.Groups is not null && (model.IsRanking || options.GradedLabels))
        {
            // Rows of one group become one query, contiguous or not (a ranking model's evaluation is per query).
            rows = rows.GroupByQuery();
            return new MappedRows(rows.RowCount, rows.Features.ToArray(), rows.Labels.ToArray(), null, rows);
        }

        return new MappedRows(rows.RowCount, rows.Features.ToArray(), rows.Labels.ToArray(), load.Table, rows);
    }

    /// <summary>Loads rows for scoring; a label is not needed. History features use the model's saved state as is.</summary>
    public static MappedRows LoadForScoring(DataArguments data, ParseResult result, LoadedModel loaded, CancellationToken cancellationToken)
    {
        var path = result.GetValue(data.Data)!;
        if (data.IsSvmLight(result))
        {
            var dataset = LoadSvmLight(data, result, loaded, path, cancellationToken);
            return new MappedRows(dataset.RowCount, dataset.Features.ToArray(), dataset.Labels.ToArray(), null, dataset);
        }

        RequireColumns(loaded, path);
        var options = data.ToCsvOptions(result);
        var table = data.ReadTable(result, path, options, cancellationToken);
        CheckColumns(table, loaded, path);
        var features = Extract(table, loaded.Model.CreateRowExtractor(), path, cancellationToken);
        return new MappedRows(table.RowCount, features, null, table, null);
    }

    /// <summary>The scores that order rows: a ranking model's own score, otherwise the calibrated score.</summary>
    public static float[] RankingScores(QualityModel model, MappedRows rows)
    {
        if (!model.IsRanking)
        {
            return Score(model, rows);
        }

        var scores = new float[rows.RowCount];
        if (rows.RowCount > 0)
        {
            model.PredictRankingScores(rows.Features, scores);
        }

        return scores;
    }

    public static float[] Score(QualityModel model, MappedRows rows)
    {
        var scores = new float[rows.RowCount];
        if (rows.RowCount > 0)
        {
            model.Score(rows.Features, scores);
        }

        return scores;
    }

    private static Dataset LoadSvmLight(DataArguments data, ParseResult result, LoadedModel loaded, string path, CancellationToken cancellationToken)
    {
        var model = loaded.Model;
        if (model.Columns is not null)
        {
            throw new PatternQualityException($"Model version '{loaded.Version}' reads the CSV columns {Preview(model.Columns.Select(c => c.Name))}, but '{path}' is an SVMlight file.");
        }

        var options = data.ToSvmLightOptions(result);
        options.FeatureCount = model.Info.Schema.Count;
        var dataset = SvmLightLoader.Load(path, options, cancellationToken);
        model.Info.Schema.EnsureCompatible(dataset.Schema);
        return dataset;
    }

    private static void RequireColumns(LoadedModel loaded, string path) => _ =
        loaded.Model.Columns ?? throw new PatternQualityException($"Model version '{loaded.Version}' reads {loaded.Model.Info.Schema.Count} numbered features (f1, f2, ...), not CSV columns; score an SVMlight file with it, not '{path}'.");

    private static void CheckColumns(CsvTable table, LoadedModel loaded, string path)
    {
        var missing = loaded.Model.GetMissingColumns(table.Header);
        if (missing.Count > 0)
        {
            throw new PatternQualityException($"The data file '{path}' lacks {missing.Count} column(s) model version '{loaded.Version}' reads: {Preview(missing)} (the file has {Preview(table.Header)}).");
        }
    }

    private static string Preview(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count <= 12 ? string.Join(", ", list) : string.Join(", ", list.Take(12)) + $", ... ({list.Count} in all)";
    }

    /// <summary>Maps every row of a table through a model's row extractor (binary and multiclass models share it).</summary>
    public static float[] Extract(CsvTable table, FeatureExtractor<IReadOnlyDictionary<string, string?>> extractor, string path, CancellationToken cancellationToken)
    {
        var width = extractor.Schema.Count;
        var features = new float[(long)table.RowCount * width];
        for (var i = 0; i < table.RowCount; i++)
        {
            if ((i & 0x3FF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            try
            {
                extractor.Extract(table.GetRow(i), features.AsSpan(i * width, width));
            }
            catch (PatternQualityException ex)
            {
                throw new DataFormatException(path, table.GetLine(i), null, ex.Message);
            }
        }

        return features;
    }
}
