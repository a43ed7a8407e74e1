using System.CommandLine;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Training;
using PatternQuality.Trees;

namespace PatternQuality.Cli.Commands;

/// <summary>What <c>pq train</c> reads: the data through the library's loaders, and the split flag.</summary>
internal static class TrainingInput
{
    /// <summary>Loads the data with the library's loaders and trains; the trainer does the split.</summary>
    public static Task<TrainingResult> TrainAsync(
        QualityTrainer trainer, DataArguments data, ParseResult result, string? testPath, IProgress<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        var path = result.GetValue(data.Data)!;
        if (data.IsSvmLight(result))
        {
            var all = SvmLightLoader.Load(path, data.ToSvmLightOptions(result), cancellationToken);
            Dataset? holdout = null;
            if (testPath is not null)
            {
                var testOptions = data.ToSvmLightOptions(result);

                // LightGBM's convention: a test file's groups are in the file of the same name plus ".query".
                testOptions.QueryFile = trainer.Options.Ranking is not null && File.Exists(testPath + ".query") ? testPath + ".query" : null;
                testOptions.FeatureCount = all.Schema.Count;
                holdout = SvmLightLoader.Load(testPath, testOptions, cancellationToken);
            }

            return trainer.TrainAsync(all, holdout, progress, cancellationToken);
        }

        var options = data.ToCsvOptions(result, requireLabel: true);
        options.GradedLabels = trainer.Options.Ranking is not null;
        var load = data.LoadRows(result, path, options, null, cancellationToken);

        // The test file continues the training file's history state, as new feedback would.
        var testLoad = testPath is null ? null : data.LoadRows(result, testPath, options, load.Extractor, cancellationToken);
        return trainer.TrainAsync(load, testLoad, progress, cancellationToken);
    }

    /// <summary>The ranking settings <c>--objective</c> asks for: null for binary, LightGBM's lambdarank defaults for lambdarank.</summary>
    public static LambdaRankOptions? ParseObjective(string? objective, string? trainer, string? groups, bool svmLight) =>
        objective?.ToLowerInvariant() switch
        {
            null or "binary" or "multiclass" => null,
            "lambdarank" when trainer is not null && !string.Equals(trainer, "gbdt", StringComparison.OrdinalIgnoreCase) =>
                throw new ArgumentException($"--objective lambdarank trains the built-in gbdt; --trainer {trainer} cannot rank."),
            "lambdarank" when groups is null && !svmLight =>
                throw new ArgumentException("--objective lambdarank needs query groups: name the group column with --group COL."),
            "lambdarank" => new LambdaRankOptions(),
            _ => throw new ArgumentException($"--objective must be binary, multiclass or lambdarank (was '{objective}')."),
        };

    public static SplitStrategy ParseSplit(string? value, bool hasTime)
    {
        var split = value?.ToLowerInvariant() switch
        {
            null or "auto" => SplitStrategy.Auto,
            "random" => SplitStrategy.Random,
            "temporal" => SplitStrategy.Temporal,
            "file-order" => SplitStrategy.FileOrder,
            _ => throw new ArgumentException($"--split must be random, temporal or file-order (was '{value}')."),
        };
        return split == SplitStrategy.Temporal && !hasTime
            ? throw new ArgumentException("--split temporal needs a time column: name it with --time.")
            : split;
    }

    public static string SplitName(SplitStrategy split) => split == SplitStrategy.FileOrder ? "file-order" : split.ToString().ToLowerInvariant();

    /// <summary>Forwards training progress synchronously (see <see cref="CliProgress"/>).</summary>
    public sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
