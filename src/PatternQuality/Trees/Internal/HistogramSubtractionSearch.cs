namespace PatternQuality.Trees.Internal;

/// <summary>
/// Every allowed feature at every split. Each open leaf keeps its histogram: of two new children the smaller is built
/// from its rows and the larger is the parent minus the smaller, which halves the row reads at least.
/// </summary>
internal sealed class HistogramSubtractionSearch : SplitSearch
{
    public static readonly HistogramSubtractionSearch Instance = new();

    public override bool NeedsRandom => false;

    public override void Root(TreeGrower grower)
    {
        if (grower.CanSplit(0))
        {
            var root = grower.Pool.Take(exceptLeaf: -1, grower.Best);
            grower.BuildHistogram(root, 0, grower.AllowedFeatures);
            grower.Pool.Assign(0, root);
            SetBest(grower, 0);
        }
    }

    public override void Children(TreeGrower grower, int left, int right)
    {
        var pool = grower.Pool;
        var leftOpen = grower.CanSplit(left);
        var rightOpen = grower.CanSplit(right);
        var parentHist = pool.Detach(left);
        if (leftOpen || rightOpen)
        {
            var smallIsLeft = grower.Partition.Count(left) <= grower.Partition.Count(right);
            var small = smallIsLeft ? left : right;
            var large = smallIsLeft ? right : left;
            var smallBuffer = pool.Take(exceptLeaf: -1, grower.Best);
            grower.BuildHistogram(smallBuffer, small, grower.AllowedFeatures);
            double[] largeBuffer;
            if (parentHist is not null)
            {
                grower.Histograms.Subtract(parentHist, smallBuffer, grower.AllowedFeatures);
                largeBuffer = parentHist;
            }
            else
            {
                // The parent's histogram was evicted: build both from rows.
                pool.Assign(small, smallBuffer);
                largeBuffer = pool.Take(exceptLeaf: small, grower.Best);
                grower.BuildHistogram(largeBuffer, large, grower.AllowedFeatures);
            }

            pool.Assign(small, smallBuffer);
            pool.Assign(large, largeBuffer);
        }
        else if (parentHist is not null)
        {
            pool.Return(parentHist);
        }

        SetBest(grower, left);
        SetBest(grower, right);
    }

    private static void SetBest(TreeGrower grower, int leaf)
    {
        var best = grower.CanSplit(leaf) ? grower.FindBest(grower.Pool.Get(leaf)!, leaf, grower.AllowedFeatures) : null;
        grower.Best[leaf] = best;
        if (best is null)
        {
            grower.Pool.Release(leaf);
        }
    }
}
