using System.Runtime.InteropServices;

namespace PatternQuality.Trees.Internal;

/// <summary>One split of a <see cref="RegressionTree"/>, laid out flat for cache-friendly scoring.</summary>
/// <remarks>
/// Children are node indexes when &gt;= 0 and <c>~leafIndex</c> when negative. A numeric split sends
/// <c>value &lt;= Threshold</c> left and NaN to <see cref="DefaultLeft"/>. A categorical split sends the category
/// indexes set in the tree's bitset words [<see cref="CategoryStart"/>, +<see cref="CategoryWordCount"/>) left, and
/// everything else (missing, unseen, out of range) right.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
internal struct TreeNode
{
    public int Feature;
    public float Threshold;
    public int Left;
    public int Right;
    public int CategoryStart;
    public int CategoryWordCount;
    public bool DefaultLeft;

    public readonly bool IsCategorical => CategoryStart >= 0;
}
