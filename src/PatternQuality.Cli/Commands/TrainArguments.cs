using System.CommandLine;
using PatternQuality.Calibration;
using PatternQuality.Training;

namespace PatternQuality.Cli.Commands;

/// <summary>The learner and calibration flags of <c>pq train</c> and <c>pq cv</c>, and how they become trainer options.</summary>
internal sealed class TrainArguments
{
    private bool _withCalibration;

    public Option<string> Trainer { get; } = new("--trainer") { Description = "gbdt (gradient-boosted trees), forest (random forest), or an ML.NET trainer: fasttree, fastforest, lightgbm.", DefaultValueFactory = _ => "gbdt" };

    public Option<int?> Trees { get; } = new("--trees") { Description = "Number of trees (default 100)." };

    public Option<int?> Leaves { get; } = new("--leaves") { Description = "Leaves per tree, gbdt only (default 31)." };

    public Option<double?> LearningRate { get; } = new("--learning-rate") { Description = "Shrinkage per tree, gbdt only (default 0.1)." };

    public Option<int?> MinLeaf { get; } = new("--min-leaf") { Description = "Minimum rows per leaf (default 20 for gbdt, 1 for forest)." };

    public Option<int?> MaxDepth { get; } = new("--max-depth") { Description = "Maximum tree depth (default: unlimited for gbdt, 10 for forest)." };

    public Option<int> Seed { get; } = new("--seed") { Description = "Seed for the split, the folds and the learner.", DefaultValueFactory = _ => 42 };

    public Option<string> Calibration { get; } = new("--calibration") { Description = "auto, none, platt or isotonic (auto picks by out-of-fold Brier score).", DefaultValueFactory = _ => "auto" };

    public void AddTo(Command command, bool withCalibration)
    {
        foreach (var option in new Option[] { Trainer, Trees, Leaves, LearningRate, MinLeaf, MaxDepth, Seed })
        {
            command.Options.Add(option);
        }

        if (withCalibration)
        {
            _withCalibration = true;
            command.Options.Add(Calibration);
        }
    }

    public QualityTrainerOptions ToOptions(ParseResult result)
    {
        var seed = result.GetValue(Seed);
        var options = new QualityTrainerOptions
        {
            Seed = seed,
            Trainer = result.GetValue(Trainer)?.ToLowerInvariant() switch
            {
                "gbdt" or "fasttree" or "lightgbm" => TrainerKind.Gbdt,
                "forest" or "rf" or "fastforest" => TrainerKind.Forest,
                var t => throw new ArgumentException($"--trainer must be gbdt, forest, fasttree, fastforest or lightgbm (was '{t}')."),
            },
            Calibration = _withCalibration ? ParseCalibration(result.GetValue(Calibration)) : CalibrationMethod.None,
        };
        var gb = options.GradientBoosting;
        var rf = options.RandomForest;
        gb.Seed = seed;
        rf.Seed = seed;
        if (result.GetValue(Trees) is { } trees)
        {
            gb.NumberOfTrees = trees;
            rf.NumberOfTrees = trees;
        }

        if (result.GetValue(Leaves) is { } leaves)
        {
            gb.NumberOfLeaves = leaves;
        }

        if (result.GetValue(LearningRate) is { } rate)
        {
            gb.LearningRate = rate;
        }

        if (result.GetValue(MinLeaf) is { } minLeaf)
        {
            gb.MinimumExampleCountPerLeaf = minLeaf;
            rf.MinimumExampleCountPerLeaf = minLeaf;
        }

        if (result.GetValue(MaxDepth) is { } depth)
        {
            gb.MaximumDepth = depth;
            rf.MaximumDepth = depth;
        }

        options.Learner = MLNetLearners.Create(result.GetValue(Trainer)!, result.GetValue(Trees), result.GetValue(Leaves), result.GetValue(LearningRate), result.GetValue(MinLeaf), seed);
        return options;
    }

    public static string Name(CalibrationMethod method) => method.ToString().ToLowerInvariant();

    private static CalibrationMethod ParseCalibration(string? value) => value?.ToLowerInvariant() switch
    {
        "auto" => CalibrationMethod.Auto,
        "none" => CalibrationMethod.None,
        "platt" => CalibrationMethod.Platt,
        "isotonic" => CalibrationMethod.Isotonic,
        _ => throw new ArgumentException($"--calibration must be auto, none, platt or isotonic (was '{value}')."),
    };
}
