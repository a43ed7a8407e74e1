namespace PatternQuality.Trees;

/// <summary>One split node of a tree given to <see cref="TreeEnsembleBuilder"/>.</summary>
/// <remarks>
/// A child is a split index (0 or more, into the same tree's split list) or <c>~leafIndex</c> (negative), the
/// convention ML.NET's and LightGBM's trees use. A numeric split sends <c>value &lt;= Threshold</c> left, everything
/// else right, and a missing value (NaN) the way <see cref="MissingGoesLeft"/> says. A categorical split (with
/// <see cref="LeftCategories"/>) sends the listed category indexes left and everything else, missing included, right.
/// </remarks>
public sealed class TreeSplit
{
    /// <summary>Gets the index of the feature in the model's schema.</summary>
    public required int Feature { get; init; }

    /// <summary>Gets the threshold of a numeric split: values less than or equal go left. Must be finite.</summary>
    public float Threshold { get; init; }

    /// <summary>Gets the left child: a split index, or <c>~leafIndex</c>.</summary>
    public required int Left { get; init; }

    /// <summary>Gets the right child: a split index, or <c>~leafIndex</c>.</summary>
    public required int Right { get; init; }

    /// <summary>Gets a value indicating whether a missing (NaN) value goes left at a numeric split.</summary>
    public bool MissingGoesLeft { get; init; }

    /// <summary>Gets the category indexes that go left, making this a categorical split on a categorical feature; <see langword="null"/> for a numeric split.</summary>
    public IReadOnlyList<int>? LeftCategories { get; init; }

    /// <summary>Gets the loss reduction of the split, used for gain importance; 0 when unknown.</summary>
    public double Gain { get; init; }
}
