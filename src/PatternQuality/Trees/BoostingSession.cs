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

    /// <summary>The logistic function: a binary margin as a probability.</summary>
    public static double Sigmoid(double margin) => BinaryLogLossObjective.Sigmoid(margin);

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="parameterName"/> unless every label is 0 or 1.</summary>
    public static void CheckLabels(ReadOnlySpan<float> labels, string parameterName) => BinaryLogLossObjective.Instance.CheckLabels(labels, parameterName);

    /// <summary>Refits every leaf value of <paramref name="ensemble"/> on <paramref name="rows"/>, keeping the tree structure.</summary>
    /// <param name="ensemble">The trees.</param>
    /// <param name="rows">The rows to refit on.</param>
    /// <param name="decay">The weight of the old leaf value against the refitted one.</param>
    /// <param name="cancellationToken">Stops the refit.</param>
    /// <returns>The ensemble with refitted leaves; <paramref name="ensemble"/> itself is not changed.</returns>
    public static TreeEnsemble RefitLeaves(TreeEnsemble ensemble, Dataset rows, double decay, CancellationToken cancellationToken) =>
        ensemble.WithTrees(LeafRefit.Refit(ensemble, rows, decay, cancellationToken));

    /// <summary>
    /// Adds up to <paramref name="rounds"/> trees to <paramref name="start"/> fitted on <paramref name="rows"/>, the
    /// first rows of <paramref name="window"/> from slot <paramref name="windowStart"/> (re-binned first when due).
    /// </summary>
    /// <param name="start">The model whose trees stay (boosted binary).</param>
    /// <param name="rows">The rows to learn from.</param>
    /// <param name="margins">Each row's raw score under <paramref name="start"/>.</param>
    /// <param name="window">The binned window the rows are stored in.</param>
    /// <param name="windowStart">The slot of the window's first row.</param>
    /// <param name="rounds">How many rounds at most.</param>
    /// <param name="cancellationToken">Stops training.</param>
    /// <returns>The start's trees followed by the new ones; <paramref name="start"/> itself is not changed.</returns>
    /// <exception cref="ArgumentException">The rows are invalid (one class, all weights zero, every feature constant), or the margins do not match them.</exception>
    public TreeEnsemble AddTrees(TreeEnsemble start, Dataset rows, double[] margins, BinnedWindow window, int windowStart, int rounds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(window);
        return AddTrees(start, rows, margins, window.Rows(rows.RowCount, windowStart), rounds, cancellationToken);
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
