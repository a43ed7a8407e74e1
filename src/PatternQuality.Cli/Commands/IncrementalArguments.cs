using System.CommandLine;
using PatternQuality.Online;

namespace PatternQuality.Cli.Commands;

/// <summary>The incremental learner's flags of <c>pq replay</c>, and how they become <see cref="IncrementalLearnerOptions"/>.</summary>
internal sealed class IncrementalArguments
{
    public Option<int?> Trees { get; } = new("--trees-per-update") { Description = "Incremental: trees added per update (default 3)." };

    public Option<int?> Leaves { get; } = new("--leaves") { Description = "Incremental: leaves per added tree (default 8)." };

    public Option<int?> MinLeaf { get; } = new("--min-leaf") { Description = "Incremental: minimum replayed rows per leaf of an added tree (default 40)." };

    public Option<double?> LearningRate { get; } = new("--learning-rate") { Description = "Incremental: shrinkage of added trees (default 0.05)." };

    public Option<int?> Window { get; } = new("--window") { Description = "Incremental: replay window in rows (default 4000)." };

    public Option<int?> HalfLife { get; } = new("--half-life") { Description = "Incremental: age in rows at which a replayed row weighs half (default 0: all alike)." };

    public Option<double?> Guard { get; } = new("--guard") { Description = "Incremental: share of each batch held back to guard the update; 0 turns the guard off (default 0.3)." };

    public Option<double?> Refit { get; } = new("--refit-decay") { Description = "Incremental: refit every leaf on the window with this decay (default off)." };

    public Option<bool> NoRecalibrate { get; } = new("--no-recalibrate") { Description = "Incremental: do not refit the Platt calibrator per update." };

    public Option<int?> MaxTrees { get; } = new("--max-trees") { Description = "Incremental: tree count that triggers compaction by a full retrain (default 1000)." };

    public Option<bool> ServeAlways { get; } = new("--serve-always") { Description = "Incremental: serve every accepted update, without the rule that serves it only while it leads the last full model within a loss budget." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Trees, Leaves, MinLeaf, LearningRate, Window, HalfLife, Guard, Refit, NoRecalibrate, MaxTrees, ServeAlways })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The learner options: the library's defaults, overridden by the flags given.</summary>
    public IncrementalLearnerOptions ToOptions(ParseResult result)
    {
        var options = new IncrementalLearnerOptions();
        options.NumberOfTreesPerUpdate = result.GetValue(Trees) ?? options.NumberOfTreesPerUpdate;
        options.NumberOfLeaves = result.GetValue(Leaves) ?? options.NumberOfLeaves;
        options.MinimumExampleCountPerLeaf = result.GetValue(MinLeaf) ?? options.MinimumExampleCountPerLeaf;
        options.LearningRate = result.GetValue(LearningRate) ?? options.LearningRate;
        options.ReplayWindowSize = result.GetValue(Window) ?? options.ReplayWindowSize;
        options.ReplayHalfLife = result.GetValue(HalfLife) ?? options.ReplayHalfLife;
        options.GuardFraction = result.GetValue(Guard) ?? options.GuardFraction;
        options.LeafRefitDecay = result.GetValue(Refit);
        options.Recalibrate = !result.GetValue(NoRecalibrate);
        options.MaximumTreeCount = result.GetValue(MaxTrees) ?? options.MaximumTreeCount;
        options.ServeOnlyWhenBetter = !result.GetValue(ServeAlways);
        return options;
    }
}
