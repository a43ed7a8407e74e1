using PatternQuality.Trees.Internal;

namespace PatternQuality.Tests.Trees.Internal;

/// <summary>The split search on hand-built histograms (gradient, hessian, count per bin; bin 0 = missing), checked against the Newton gain by hand.</summary>
public class SplitFinderTests
{
    private static readonly GrowerSettings Loose = new() { MinLeafCount = 1, MinChildWeight = 0, L2 = 1 };

    [Fact]
    public void Numeric_NoMissing_SplitsWhereGradientsChangeSignWithHandComputedGain()
    {
        // Bins 1..4: two rows each; gradients -1,-1 | +1,+1 (hessian 1 per row).
        var hist = Histogram((0, 0, 0), (-2, 2, 2), (-2, 2, 2), (2, 2, 2), (2, 2, 2), (0, 0, 0));
        var split = Find(hist, Loose);

        Assert.NotNull(split);
        Assert.Equal(2, split.Bin);
        Assert.Null(split.LeftBins);
        Assert.Equal((-4.0, 4.0, 4), (split.LeftGradient, split.LeftHessian, split.LeftCount));
        Assert.Equal((4.0, 4.0, 4), (split.RightGradient, split.RightHessian, split.RightCount));

        // GL²/(HL+λ) + GR²/(HR+λ) - G²/(H+λ) = 16/5 + 16/5 - 0.
        Assert.Equal(6.4, split.Gain, 12);
    }

    [Fact]
    public void Numeric_NoMissingInTraining_SendsNaNWhereMostRowsWent()
    {
        var hist = Histogram((0, 0, 0), (-3, 3, 3), (3, 1, 1), (0, 0, 0));
        var split = Find(hist, Loose)!;
        Assert.Equal(1, split.Bin);
        Assert.True(split.DefaultLeft);
        Assert.True(split.GoesLeft(4)[0]);
    }

    [Fact]
    public void Numeric_MissingLikeLeftRows_LearnsDefaultLeftAndCountsThemLeft()
    {
        // Missing rows have negative gradients like bin 1; bin 2 is positive.
        var hist = Histogram((-3, 3, 3), (-2, 2, 2), (4, 4, 4), (0, 0, 0));
        var split = Find(hist, Loose)!;

        Assert.Equal(1, split.Bin);
        Assert.True(split.DefaultLeft);
        Assert.Equal((-5.0, 5.0, 5), (split.LeftGradient, split.LeftHessian, split.LeftCount));
        Assert.Equal(4, split.RightCount);
        Assert.Equal([true, true, false, false], split.GoesLeft(4));
    }

    [Fact]
    public void Numeric_MissingLikeRightRows_LearnsDefaultRight()
    {
        var hist = Histogram((3, 3, 3), (-2, 2, 2), (4, 4, 4), (0, 0, 0));
        var split = Find(hist, Loose)!;

        Assert.Equal(1, split.Bin);
        Assert.False(split.DefaultLeft);
        Assert.Equal((-2.0, 2.0, 2), (split.LeftGradient, split.LeftHessian, split.LeftCount));
        Assert.Equal((7.0, 7.0, 7), (split.RightGradient, split.RightHessian, split.RightCount));
        Assert.Equal([false, true, false, false], split.GoesLeft(4));
    }

    [Fact]
    public void Numeric_ChildSmallerThanMinimumLeaf_IsNotConsidered()
    {
        // The best cut (after bin 1) would leave one row on the left; with a minimum of 2 the next cut wins.
        var hist = Histogram((0, 0, 0), (-5, 1, 1), (0, 1, 1), (1, 1, 1), (1, 1, 1), (0, 0, 0));
        var split = Find(hist, new GrowerSettings { MinLeafCount = 2, MinChildWeight = 0, L2 = 1 })!;
        Assert.Equal(2, split.LeftCount);
        Assert.Equal(2, split.Bin);

        Assert.Null(Find(hist, new GrowerSettings { MinLeafCount = 3, MinChildWeight = 0, L2 = 1 }));
    }

    [Fact]
    public void Categorical_FewCategories_TriesEachAgainstTheRest()
    {
        // Categories 0, 1, 2 in bins 1, 2, 3; category 1 is the odd one out. Missing (bin 0) stays with the rest.
        var hist = Histogram((1, 2, 2), (-1, 4, 4), (5, 5, 5), (-1, 4, 4));
        var settings = new GrowerSettings { MinLeafCount = 1, MinChildWeight = 0, L2 = 1, MaxOneHotCategories = 4 };
        var split = SplitFinder.Find(hist, categorical: true, feature: 3, 4, 15, 15, settings)!;

        Assert.Equal([2], split.LeftBins!);
        Assert.Equal(3, split.Feature);
        Assert.Equal((5.0, 5), (split.LeftGradient, split.LeftCount));
        Assert.Equal([false, false, true, false], split.GoesLeft(4));
    }

    [Fact]
    public void Categorical_ManyCategories_FindsTheSubsetWithTheSameSignOfGradient()
    {
        // Six categories, interleaved: 0, 2, 5 have negative mean gradients, 1, 3, 4 positive. The ordered prefix scan
        // must gather the non-adjacent subset {0, 2, 5} (bins 1, 3, 6) on one side.
        var hist = Histogram((0, 0, 0), (-10, 10, 10), (10, 10, 10), (-8, 10, 10), (9, 10, 10), (8, 10, 10), (-9, 10, 10));
        var settings = new GrowerSettings
        {
            MinLeafCount = 1, MinChildWeight = 0, L2 = 0, MaxOneHotCategories = 2, MinCountPerCategory = 1,
            CategoricalSmoothing = 0, CategoricalL2 = 0, MaxCategoricalThreshold = 32,
        };
        var split = SplitFinder.Find(hist, categorical: true, feature: 0, 0, 60, 60, settings)!;

        Assert.Equal([1, 3, 6], split.LeftBins!);
        Assert.Equal((-27.0, 30), (split.LeftGradient, split.LeftCount));

        // 27²/30 * 2 - 0: both halves move their mean the same distance.
        Assert.Equal(48.6, split.Gain, 10);
    }

    [Fact]
    public void Categorical_PositiveSideSmaller_ScansFromTheOtherEnd()
    {
        // Two categories with strongly positive gradients among four negative ones: the best left side is the
        // positive pair, found by scanning the ordering from its high end.
        var hist = Histogram((0, 0, 0), (-2, 10, 10), (-2, 10, 10), (20, 10, 10), (-2, 10, 10), (20, 10, 10), (-2, 10, 10));
        var settings = new GrowerSettings
        {
            MinLeafCount = 1, MinChildWeight = 0, L2 = 0, MaxOneHotCategories = 2, MinCountPerCategory = 1,
            CategoricalSmoothing = 0, CategoricalL2 = 0, MaxCategoricalThreshold = 2,
        };
        var split = SplitFinder.Find(hist, categorical: true, feature: 0, 32, 60, 60, settings)!;

        Assert.Equal([3, 5], split.LeftBins!);
        Assert.Equal(40.0, split.LeftGradient);
    }

    [Fact]
    public void Categorical_RareCategory_NeverGoesLeftOnItsOwnMerit()
    {
        // Category 3 (bin 4) has 2 rows, below MinCountPerCategory 5: it is left out of the ordering and goes right.
        var hist = Histogram((0, 0, 0), (-10, 10, 10), (10, 10, 10), (-10, 10, 10), (-4, 2, 2), (10, 10, 10));
        var settings = new GrowerSettings
        {
            MinLeafCount = 1, MinChildWeight = 0, L2 = 0, MaxOneHotCategories = 2, MinCountPerCategory = 5,
            CategoricalSmoothing = 0, CategoricalL2 = 0,
        };
        var split = SplitFinder.Find(hist, categorical: true, feature: 0, -4, 42, 42, settings)!;

        Assert.DoesNotContain(4, split.LeftBins!);
        Assert.False(split.GoesLeft(6)[4]);
    }

    [Fact]
    public void FindBest_PicksTheFeatureWithTheLargestGainAboveTheMinimum()
    {
        // Two numeric features over the same 4 rows: feature 1 separates the gradients, feature 0 does not.
        var bins = FeatureBins.FromParts(categorical: false, [1f, 2f], 4);
        var data = BinnedDataset.FromBins(4, [bins, bins], [1, 2, 1, 2, 1, 1, 2, 2]);
        var hist = new double[data.TotalBinCount * 3];
        Histogram((0, 0, 0), (0, 2, 2), (0, 2, 2), (0, 0, 0)).CopyTo(hist, 0);
        Histogram((0, 0, 0), (-2, 2, 2), (2, 2, 2), (0, 0, 0)).CopyTo(hist, 12);
        var finder = new SplitFinder(data, Loose, new ParallelOptions { MaxDegreeOfParallelism = 1 });

        var best = finder.FindBest(hist, 0, 4, 4, [true, true]);
        Assert.Equal(1, best!.Feature);
        Assert.Null(finder.FindBest(hist, 0, 4, 4, [true, false]));
        Assert.Null(new SplitFinder(data, new GrowerSettings { MinLeafCount = 1, L2 = 1, MinGain = 10 }, new ParallelOptions()).FindBest(hist, 0, 4, 4, [true, true]));
    }

    private static SplitInfo? Find(double[] hist, GrowerSettings settings)
    {
        double g = 0, h = 0, c = 0;
        for (var b = 0; b < hist.Length; b += 3)
        {
            g += hist[b];
            h += hist[b + 1];
            c += hist[b + 2];
        }

        return SplitFinder.Find(hist, categorical: false, feature: 0, g, h, (int)c, settings);
    }

    private static double[] Histogram(params (double G, double H, double C)[] bins)
        => bins.SelectMany(b => new[] { b.G, b.H, b.C }).ToArray();
}
