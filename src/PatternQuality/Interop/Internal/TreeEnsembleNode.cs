using System.Runtime.InteropServices;
using PatternQuality.Trees;

namespace PatternQuality.Interop.Internal;

/// <summary>
/// Writes a binary ensemble as one ai.onnx.ml <c>TreeEnsemble</c> (opset 5) node in double precision, plus the nodes
/// that turn its sum into our uncalibrated probability.
/// </summary>
/// <remarks>
/// Double precision all the way: thresholds are floats and compare exactly the same once widened, leaf values are
/// stored as the doubles we hold, and the sum is accumulated in double as ours is, so the raw score matches ours to
/// rounding. Numeric splits are <c>BRANCH_LEQ</c> with <c>nodes_missing_value_tracks_true</c> set from the split's
/// missing-value direction. Categorical splits are <c>BRANCH_MEMBER</c> on a floored copy of the feature: ours
/// truncate a fractional category index, and set membership compares exactly, so the copy carries the truncation
/// (NaN stays NaN and goes right, as ours does; negative and too large values are in no set and go right too).
/// </remarks>
internal static class TreeEnsembleNode
{
    private const byte BranchLeq = 0;
    private const byte BranchLt = 1;
    private const byte BranchMember = 6;

    /// <summary>Adds the ensemble and returns the name of the [N, 1] double tensor of uncalibrated probabilities.</summary>
    public static string AddProbability(OnnxGraphBuilder graph, string input64, int featureCount, TreeEnsembleExport ensemble)
    {
        // Categorical features get a floored copy appended after the F input columns; slot[f] is its column.
        var slot = new Dictionary<int, int>();
        foreach (var tree in ensemble.Trees)
        {
            foreach (var s in tree.Splits)
            {
                if (s.LeftCategories is not null && !slot.ContainsKey(s.Feature))
                {
                    slot[s.Feature] = featureCount + slot.Count;
                }
            }
        }

        var x = input64;
        if (slot.Count > 0)
        {
            var indices = slot.OrderBy(kv => kv.Value).Select(kv => (long)kv.Key).ToArray();
            var gathered = graph.Node("Gather", [input64, graph.Constant("categorical_columns", indices, indices.Length)], attributes: OnnxGraphBuilder.IntAttribute("axis", 1));
            var floored = graph.Node("Floor", [gathered]);
            x = graph.Node("Concat", [input64, floored], attributes: OnnxGraphBuilder.IntAttribute("axis", 1));
        }

        var roots = new List<long>();
        var featureIds = new List<long>();
        var modes = new List<byte>();
        var splits = new List<double>();
        var trueIds = new List<long>();
        var trueLeafs = new List<long>();
        var falseIds = new List<long>();
        var falseLeafs = new List<long>();
        var missingTrue = new List<long>();
        var members = new List<double>();
        var leafWeights = new List<double>();

        // A tree that is a single leaf adds the same value to every row: it joins the base score, because TreeEnsemble
        // roots must be split nodes.
        var constant = ensemble.BaseScore;
        foreach (var tree in ensemble.Trees)
        {
            if (tree.Splits.Count == 0)
            {
                constant += tree.LeafValues[0];
                continue;
            }

            var nodeBase = featureIds.Count;
            var leafBase = leafWeights.Count;
            roots.Add(nodeBase);
            foreach (var s in tree.Splits)
            {
                if (s.LeftCategories is null)
                {
                    featureIds.Add(s.Feature);
                    modes.Add(BranchLeq);
                    splits.Add(s.Threshold);
                    missingTrue.Add(s.MissingGoesLeft ? 1 : 0);
                }
                else if (s.LeftCategories.Count == 0)
                {
                    // An empty set sends every row right: x < -infinity is never true, and NaN goes right.
                    featureIds.Add(s.Feature);
                    modes.Add(BranchLt);
                    splits.Add(double.NegativeInfinity);
                    missingTrue.Add(0);
                }
                else
                {
                    featureIds.Add(slot[s.Feature]);
                    modes.Add(BranchMember);
                    splits.Add(0);
                    missingTrue.Add(0);
                    foreach (var c in s.LeftCategories)
                    {
                        members.Add(c);
                    }

                    members.Add(double.NaN);
                }

                AddChild(s.Left, nodeBase, leafBase, trueIds, trueLeafs);
                AddChild(s.Right, nodeBase, leafBase, falseIds, falseLeafs);
            }

            leafWeights.AddRange(tree.LeafValues);
        }

        if (featureIds.Count == 0)
        {
            // Every tree was a leaf (or there are none): one split between two zero leaves keeps the node valid.
            roots.Add(0);
            featureIds.Add(0);
            modes.Add(BranchLeq);
            splits.Add(0);
            missingTrue.Add(0);
            trueIds.Add(0);
            trueLeafs.Add(1);
            falseIds.Add(1);
            falseLeafs.Add(1);
            leafWeights.AddRange([0, 0]);
        }

        var attributes = new List<Action<ProtoWriter>>
        {
            OnnxGraphBuilder.IntAttribute("aggregate_function", 1), // SUM
            OnnxGraphBuilder.IntAttribute("n_targets", 1),
            OnnxGraphBuilder.IntAttribute("post_transform", 0), // NONE
            OnnxGraphBuilder.IntsAttribute("tree_roots", roots),
            OnnxGraphBuilder.IntsAttribute("nodes_featureids", featureIds),
            OnnxGraphBuilder.TensorAttribute("nodes_modes", OnnxGraphBuilder.UInt8Type, modes.ToArray(), modes.Count),
            OnnxGraphBuilder.TensorAttribute("nodes_splits", OnnxGraphBuilder.DoubleType, Bytes(splits), splits.Count),
            OnnxGraphBuilder.IntsAttribute("nodes_truenodeids", trueIds),
            OnnxGraphBuilder.IntsAttribute("nodes_trueleafs", trueLeafs),
            OnnxGraphBuilder.IntsAttribute("nodes_falsenodeids", falseIds),
            OnnxGraphBuilder.IntsAttribute("nodes_falseleafs", falseLeafs),
            OnnxGraphBuilder.IntsAttribute("nodes_missing_value_tracks_true", missingTrue),
            OnnxGraphBuilder.IntsAttribute("leaf_targetids", new long[leafWeights.Count]),
            OnnxGraphBuilder.TensorAttribute("leaf_weights", OnnxGraphBuilder.DoubleType, Bytes(leafWeights), leafWeights.Count),
        };
        if (members.Count > 0)
        {
            attributes.Add(OnnxGraphBuilder.TensorAttribute("membership_values", OnnxGraphBuilder.DoubleType, Bytes(members), members.Count));
        }

        var sum = graph.Node("TreeEnsemble", [x], OnnxGraphBuilder.MLDomain, attributes: [.. attributes]);
        if (!ensemble.IsForest)
        {
            var margin = graph.Node("Add", [sum, graph.Constant("base_score", [constant])]);
            return graph.Node("Sigmoid", [margin]);
        }

        // Forest: the mean leaf fraction (0.5 without trees, as ours), clipped to [0, 1].
        var count = ensemble.Trees.Count;
        var mean = count == 0
            ? graph.Node("Add", [sum, graph.Constant("empty_forest", [0.5])])
            : graph.Node("Div", [graph.Node("Add", [sum, graph.Constant("base_score", [constant])]), graph.Constant("tree_count", [(double)count])]);
        return graph.Node("Clip", [mean, graph.Constant("zero", [0.0]), graph.Constant("one", [1.0])]);
    }

    private static void AddChild(int child, int nodeBase, int leafBase, List<long> ids, List<long> isLeaf)
    {
        if (child >= 0)
        {
            ids.Add(nodeBase + child);
            isLeaf.Add(0);
        }
        else
        {
            ids.Add(leafBase + ~child);
            isLeaf.Add(1);
        }
    }

    private static byte[] Bytes(List<double> values) => MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(values)).ToArray();
}
