namespace PatternQuality.Trees.Internal;

/// <summary>The immutable trees of a model and how they combine; shared by the public model types.</summary>
internal sealed class TreeEnsemble
{
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
    public void PredictBinaryProbabilities(ReadOnlySpan<float> rows, int featureCount, Span<float> destination)
    {
        const int Group = 16;
        Span<double> sums = stackalloc double[Group];
        var trees = Trees;
        for (var start = 0; start < destination.Length; start += Group)
        {
            var count = Math.Min(Group, destination.Length - start);
            sums[..count].Fill(BaseScores[0]);
            Flat!.AddTo(rows.Slice(start * featureCount, count * featureCount), featureCount, sums[..count]);

            for (var i = 0; i < count; i++)
            {
                destination[start + i] = Kind == EnsembleKind.Forest
                    ? (float)Math.Clamp(trees.Length == 0 ? 0.5 : sums[i] / trees.Length, 0, 1)
                    : (float)BinaryLogLossObjective.Sigmoid(sums[i]);
            }
        }
    }

    /// <summary>Returns a copy keeping only the first <paramref name="treeCount"/> trees.</summary>
    public TreeEnsemble TakeFirst(int treeCount) => new(Kind, ClassCount, BaseScores, Trees[..treeCount], LearningRate, L2);

    /// <summary>Returns a copy with other trees.</summary>
    public TreeEnsemble WithTrees(RegressionTree[] trees) => new(Kind, ClassCount, BaseScores, trees, LearningRate, L2);
}
