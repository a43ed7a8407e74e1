namespace PatternQuality.Trees;

/// <summary>
/// A binary tree ensemble as plain data, for exporters outside this folder (they may not reach into Trees.Internal):
/// raw score = <see cref="BaseScore"/> + the sum of each tree's leaf value, divided by the tree count for a forest.
/// </summary>
/// <param name="IsForest">Whether the raw score is a mean leaf fraction (forest) rather than a margin (boosting).</param>
/// <param name="BaseScore">The score every row starts from.</param>
/// <param name="Trees">The trees, in scoring order.</param>
internal sealed record TreeEnsembleExport(bool IsForest, double BaseScore, IReadOnlyList<ExportedTree> Trees);

/// <summary>One tree: <c>Splits[0]</c> is the root (no splits: a single leaf, <c>LeafValues[0]</c>).</summary>
/// <param name="Splits">The split nodes; children are split indexes (0 or more) or <c>~leafIndex</c>.</param>
/// <param name="LeafValues">The value of each leaf.</param>
internal sealed record ExportedTree(IReadOnlyList<ExportedSplit> Splits, IReadOnlyList<double> LeafValues);

/// <summary>
/// One split. Numeric (<see cref="LeftCategories"/> null): <c>value &lt;= Threshold</c> goes left, NaN goes left when
/// <see cref="MissingGoesLeft"/>. Categorical: the category indexes listed go left (a fractional value truncates to
/// its index), everything else right, NaN included.
/// </summary>
internal readonly record struct ExportedSplit(int Feature, float Threshold, int Left, int Right, bool MissingGoesLeft, IReadOnlyList<int>? LeftCategories);
