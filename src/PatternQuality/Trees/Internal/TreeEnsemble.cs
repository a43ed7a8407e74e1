using System.Buffers;

namespace PatternQuality.Trees.Internal;

/// <summary>The immutable trees of a model and how they combine; shared by the public model types.</summary>
internal sealed class TreeEnsemble
{
    private const int StackBitvectors = 8192;

    private LayoutChoice? _batchLayout;

    public TreeEnsemble(EnsembleKind kind, int classCount, double[] baseScores, RegressionTree[] trees, double learningRate, double l2)
    {
        Kind = kind;
        ClassCount = classCount;
        BaseScores = baseScores;
        Trees = trees;
        LearningRate = learningRate;
        L2 = l2;
        if (kind != EnsembleKind.BoostedMulticlass)
        {
            Flat = new FlatEnsemble(trees);
        }
    }

    /// <summary>Gets the packed scoring layout (binary and forest ensembles).</summary>
    public FlatEnsemble? Flat { get; }

    public EnsembleKind Kind { get; }

    /// <summary>Gets the number of score columns: 1 for binary models, K for multiclass.</summary>
    public int ClassCount { get; }

    public double[] BaseScores { get; }

    public RegressionTree[] Trees { get; }

    /// <summary>Gets the shrinkage the trees were trained with (for leaf refits).</summary>
    public double LearningRate { get; }

    /// <summary>Gets the L2 penalty the trees were trained with (for leaf refits).</summary>
    public double L2 { get; }

    /// <summary>Returns the raw binary score: the margin for boosting, the mean leaf fraction for a forest.</summary>
    public double PredictBinaryRaw(ReadOnlySpan<float> x)
    {
        var sum = BaseScores[0] + Flat!.Sum(x);
        return Kind == EnsembleKind.Forest ? (Trees.Length == 0 ? 0.5 : sum / Trees.Length) : sum;
    }

    /// <summary>Returns the probability of the positive class.</summary>
    public float PredictBinaryProbability(ReadOnlySpan<float> x)
    {
        var raw = PredictBinaryRaw(x);
        return Kind == EnsembleKind.Forest
            ? (float)Math.Clamp(raw, 0, 1)
            : (float)BinaryLogLossObjective.Sigmoid(raw);
    }

    /// <summary>Writes the K raw multiclass scores.</summary>
    public void PredictMulticlassRaw(ReadOnlySpan<float> x, Span<double> scores)
    {
        var k = ClassCount;
        BaseScores.AsSpan().CopyTo(scores);
        var trees = Trees;
        for (var t = 0; t < trees.Length; t++)
        {
            scores[t % k] += trees[t].Predict(x);
        }
    }

    /// <summary>Scores rows [0, dest.Length) of a row-major block, tree by tree over small row groups so each tree stays in cache.</summary>
    /// <remarks>
    /// Full blocks of rows go through the bitvector layout when the model has one (<see cref="BatchLayout"/>), the rest
    /// walks the trees node by node; both find the same leaves and add them in the same order, so scores are bit-identical.
    /// </remarks>
    public void PredictBinaryProbabilities(ReadOnlySpan<float> rows, int featureCount, Span<float> destination)
        => PredictBinaryProbabilities(rows, featureCount, destination, BatchLayout(featureCount));

    /// <summary>Scores a block as above with a given layout: <paramref name="bitvector"/> null walks every row node by node.</summary>
    public void PredictBinaryProbabilities(ReadOnlySpan<float> rows, int featureCount, Span<float> destination, BitvectorScorer? bitvector)
    {
        var lanes = bitvector is null ? 1 : BitvectorScorer.BlockRows;
        var group = Math.Max(16, lanes);
        Span<double> sums = stackalloc double[64];
        sums = sums[..group];
        var need = bitvector is null ? 0 : Trees.Length * lanes;
        uint[]? rented = need > StackBitvectors ? ArrayPool<uint>.Shared.Rent(need) : null;
        Span<uint> scratch = need > 0 && rented is null ? stackalloc uint[need] : default;
        if (rented is not null)
        {
            scratch = rented;
        }

        try
        {
            var trees = Trees;
            for (var start = 0; start < destination.Length; start += group)
            {
                var count = Math.Min(group, destination.Length - start);
                sums[..count].Fill(BaseScores[0]);
                var done = 0;
                if (bitvector is not null)
                {
                    for (; count - done >= lanes; done += lanes)
                    {
                        bitvector.AddBlock(rows.Slice((start + done) * featureCount, lanes * featureCount), featureCount, sums.Slice(done, lanes), scratch);
                    }
                }

                if (done < count)
                {
                    Flat!.AddTo(rows.Slice((start + done) * featureCount, (count - done) * featureCount), featureCount, sums[done..count]);
                }

                for (var i = 0; i < count; i++)
                {
                    destination[start + i] = Kind == EnsembleKind.Forest
                        ? (float)Math.Clamp(trees.Length == 0 ? 0.5 : sums[i] / trees.Length, 0, 1)
                        : (float)BinaryLogLossObjective.Sigmoid(sums[i]);
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<uint>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Returns the bitvector layout for rows of <paramref name="featureCount"/> values, or null when node-at-a-time is used.</summary>
    /// <remarks>Built on first use and cached; building twice under a race is harmless (both are immutable and equal).</remarks>
    public BitvectorScorer? BatchLayout(int featureCount)
    {
        var layout = Volatile.Read(ref _batchLayout);
        if (layout is null || layout.FeatureCount != featureCount)
        {
            var bitvector = Kind != EnsembleKind.BoostedMulticlass && BitvectorScorer.PaysOff(Trees) ? BitvectorScorer.TryCreate(Trees, featureCount) : null;
            layout = new LayoutChoice(featureCount, bitvector);
            Volatile.Write(ref _batchLayout, layout);
        }

        return layout.Scorer;
    }

    /// <summary>Returns a copy keeping only the first <paramref name="treeCount"/> trees.</summary>
    public TreeEnsemble TakeFirst(int treeCount) => new(Kind, ClassCount, BaseScores, Trees[..treeCount], LearningRate, L2);

    /// <summary>Returns a copy with other trees.</summary>
    public TreeEnsemble WithTrees(RegressionTree[] trees) => new(Kind, ClassCount, BaseScores, trees, LearningRate, L2);

    private sealed record LayoutChoice(int FeatureCount, BitvectorScorer? Scorer);
}
