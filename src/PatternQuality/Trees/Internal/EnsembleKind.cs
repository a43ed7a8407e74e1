namespace PatternQuality.Trees.Internal;

/// <summary>How an ensemble's tree outputs combine. Stored in the model file: never renumber.</summary>
internal enum EnsembleKind
{
    /// <summary>Binary boosting: probability = sigmoid(base + sum of trees).</summary>
    BoostedBinary = 0,

    /// <summary>Random forest: probability = mean of the trees' leaf class fractions.</summary>
    Forest = 1,

    /// <summary>Multiclass boosting: tree t adds to class t mod K; probabilities = softmax.</summary>
    BoostedMulticlass = 2,

    /// <summary>Learning to rank (LambdaMART): score = base + sum of trees; only the order within a query is meaningful.</summary>
    BoostedRanking = 3,
}
