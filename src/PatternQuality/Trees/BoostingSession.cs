using PatternQuality.Data;
using PatternQuality.Trees.Internal;

namespace PatternQuality.Trees;

/// <summary>
/// Continued boosting for a caller that keeps its own rows, margins and bins between calls (the online learner's
/// replay window): one object with fixed options instead of the trainer's long argument list.
/// </summary>
/// <remarks>Not thread-safe: one call at a time. Binning always runs on the calling thread; boosting uses <see cref="GradientBoostingOptions.NumberOfThreads"/>.</remarks>
internal sealed class BoostingSession
{
    private readonly GradientBoostingOptions _options;

    /// <summary>Initializes a new instance of the <see cref="BoostingSession"/> class.</summary>
    /// <param name="options">The boosting settings; the session keeps this instance, so do not change it afterwards.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is out of range.</exception>
    public BoostingSession(GradientBoostingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>Bins <paramref name="rows"/> with the session's bin settings; the bounds can be reused for later rows.</summary>
    public BinnedDataset Bin(Dataset rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 1, CancellationToken = cancellationToken };
        return BinnedDataset.Build(rows, _options.MaximumBinCountPerFeature, _options.Seed, parallel, cancellationToken);
    }

    /// <summary>Adds up to <paramref name="rounds"/> trees to <paramref name="start"/> fitted on <paramref name="rows"/>.</summary>
    /// <param name="start">The model whose trees stay (boosted binary).</param>
    /// <param name="rows">The rows to learn from.</param>
    /// <param name="margins">Each row's raw score under <paramref name="start"/>.</param>
    /// <param name="bins">The rows binned (see <see cref="Bin"/>).</param>
    /// <param name="rounds">How many rounds at most.</param>
    /// <param name="cancellationToken">Stops training.</param>
    /// <returns>The start's trees followed by the new ones; <paramref name="start"/> itself is not changed.</returns>
    /// <exception cref="ArgumentException">The rows are invalid (one class, all weights zero, every feature constant), or the margins or bins do not match them.</exception>
    public TreeEnsemble AddTrees(TreeEnsemble start, Dataset rows, double[] margins, BinnedDataset bins, int rounds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(margins);
        ArgumentNullException.ThrowIfNull(bins);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        var (ensemble, _) = GradientBoostingTrainer.Train(
            rows, validation: null, _options, BinaryLogLossObjective.Instance, rounds, new BoostingStart(start, margins, bins), cancellationToken);
        return ensemble;
    }
}
