using System.CommandLine;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Scoring;
using PatternQuality.Validation;

namespace PatternQuality.Cli.Commands;

/// <summary>
/// The training and holdout rows of <c>pq train</c>, split by the command itself so that the raw holdout rows are
/// known: the active model then scores the very same rows, mapped through its own saved columns.
/// </summary>
internal sealed class TrainingData
{
    private readonly Func<QualityModel, string, CancellationToken, (float[]? Scores, string? NotComparable)> _scoreWith;

    private TrainingData(
        Dataset train,
        Dataset test,
        string split,
        HistoryState? history,
        IReadOnlyList<RowColumn>? columns,
        Func<QualityModel, string, CancellationToken, (float[]? Scores, string? NotComparable)> scoreWith)
    {
        Train = train;
        Test = test;
        Split = split;
        History = history;
        Columns = columns;
        _scoreWith = scoreWith;
    }

    public Dataset Train { get; }

    public Dataset Test { get; }

    /// <summary>Gets how the holdout was chosen: random, temporal, file-order or file (from --test).</summary>
    public string Split { get; }

    public HistoryState? History { get; }

    public IReadOnlyList<RowColumn>? Columns { get; }

    /// <summary>Scores the holdout with another model (the champion); returns why not when it cannot read these rows.</summary>
    public (float[]? Scores, string? NotComparable) ScoreHoldout(QualityModel model, string version, CancellationToken cancellationToken)
        => _scoreWith(model, version, cancellationToken);

    public static TrainingData Load(DataArguments data, ParseResult result, string? testPath, string? split, double testFraction, int seed, CancellationToken cancellationToken)
    {
        var path = result.GetValue(data.Data)!;
        return data.IsSvmLight(result)
            ? LoadSvmLight(data, result, path, testPath, split, testFraction, seed, cancellationToken)
            : LoadCsv(data, result, path, testPath, split, testFraction, seed, cancellationToken);
    }

    private static TrainingData LoadCsv(DataArguments data, ParseResult result, string path, string? testPath, string? split, double testFraction, int seed, CancellationToken ct)
    {
        var options = data.ToCsvOptions(result);
        if (options.LabelColumn is null)
        {
            throw new ArgumentException("--label is required: name the column that says whether a row was approved.");
        }

        var load = CsvDatasetLoader.Load(path, options, ct);
        Dataset test;
        IReadOnlyList<int>? testRows = null;
        string how;
        if (testPath is not null)
        {
            // The test file continues the training file's history state, as new feedback would.
            test = CsvDatasetLoader.Load(testPath, options, load.Extractor, ct).Dataset;
            how = "file";
        }
        else
        {
            var s = SplitRows(load.Dataset, split, testFraction, seed, out how);
            test = s.Test;
            testRows = s.TestRows;
            load = new CsvLoadResult(s.Train, load.Extractor, load.Columns, load.Table, load.Inspection);
        }

        var history = load.Extractor.HistoryFeatures.Count > 0 ? load.Extractor.History.Clone() : null;
        return new TrainingData(load.Dataset, test, how, history, load.Columns, (model, version, token) =>
        {
            if (model.Columns is null)
            {
                return (null, $"the active version '{version}' reads numbered features, not the CSV columns of '{testPath ?? path}'");
            }

            var files = testPath is null ? new[] { path } : new[] { path, testPath };
            foreach (var file in files)
            {
                var table = CsvTable.Read(file, options.Delimiter, options.HasHeader, token);
                var header = new HashSet<string>(table.Header, StringComparer.Ordinal);
                var missing = model.Columns.Select(c => c.Name).Distinct(StringComparer.Ordinal).Where(c => !header.Contains(c)).ToList();
                if (missing.Count > 0)
                {
                    return (null, $"the active version '{version}' reads columns '{file}' lacks: {string.Join(", ", missing)}");
                }
            }

            // Same conditions as the candidate: history features replay the same rows from an empty state. The
            // champion's saved state may already hold these rows' labels, which would leak them into its holdout.
            var extractor = RowFeatureExtractor.Restore(model.Columns, model.Info.Schema);
            var mapped = CsvDatasetLoader.Load(path, options, extractor, token).Dataset;
            if (testPath is not null)
            {
                mapped = CsvDatasetLoader.Load(testPath, options, extractor, token).Dataset;
            }

            var rows = testRows is null ? mapped : mapped.Select(testRows);
            var scores = new float[rows.RowCount];
            model.Score(rows.Features.Span, scores);
            return (scores, null);
        });
    }

    private static TrainingData LoadSvmLight(DataArguments data, ParseResult result, string path, string? testPath, string? split, double testFraction, int seed, CancellationToken ct)
    {
        var options = data.ToSvmLightOptions(result);
        var all = SvmLightLoader.Load(path, options, ct);
        Dataset train, test;
        string how;
        if (testPath is not null)
        {
            var testOptions = data.ToSvmLightOptions(result);
            testOptions.QueryFile = null;
            testOptions.FeatureCount = all.Schema.Count;
            train = all;
            test = SvmLightLoader.Load(testPath, testOptions, ct);
            how = "file";
        }
        else
        {
            var s = SplitRows(all, split, testFraction, seed, out how);
            train = s.Train;
            test = s.Test;
        }

        return new TrainingData(train, test, how, null, null, (model, version, _) =>
        {
            if (model.Columns is not null)
            {
                return (null, $"the active version '{version}' reads CSV columns, not SVMlight features");
            }

            var differences = model.Info.Schema.DescribeDifferences(test.Schema);
            if (differences.Count > 0)
            {
                return (null, $"the active version '{version}' reads another schema ({string.Join("; ", differences.Take(5))})");
            }

            var scores = new float[test.RowCount];
            model.Score(test.Features.Span, scores);
            return (scores, null);
        });
    }

    private static DataSplit SplitRows(Dataset data, string? split, double testFraction, int seed, out string how)
    {
        how = split?.ToLowerInvariant() switch
        {
            null or "auto" => data.Timestamps is { Length: > 0 } ? "temporal" : "random",
            "random" or "temporal" or "file-order" => split.ToLowerInvariant(),
            _ => throw new ArgumentException($"--split must be random, temporal or file-order (was '{split}')."),
        };
        if (how == "temporal" && data.Timestamps is not { Length: > 0 })
        {
            throw new ArgumentException("--split temporal needs a time column: name it with --time.");
        }

        return how switch
        {
            "random" => DataSplitter.StratifiedHoldout(data, testFraction, seed),
            "temporal" => DataSplitter.TemporalHoldout(data, testFraction),
            _ => FileOrder(data, testFraction),
        };
    }

    private static DataSplit FileOrder(Dataset data, double testFraction)
    {
        var n = data.RowCount;
        if (n < 2)
        {
            throw new ArgumentException($"The data has {n} row(s); holding out a test set needs at least 2.");
        }

        var testCount = Math.Clamp((int)Math.Round(n * testFraction, MidpointRounding.AwayFromZero), 1, n - 1);
        var trainRows = Enumerable.Range(0, n - testCount).ToArray();
        var testRows = Enumerable.Range(n - testCount, testCount).ToArray();
        return new DataSplit(data.Select(trainRows), data.Select(testRows), trainRows, testRows, null);
    }
}
