using PatternQuality.Tests.TestUtils;
using PatternQuality.Trees;
using PatternQuality.Trees.Internal;

namespace PatternQuality.Tests.Trees.Internal;

/// <summary>
/// The regularized categorical split rules (issue 11 item 2) on histograms of real columns: the in-vehicle coupon
/// file's occupation x income (about 200 levels) and coupon x expiration (10 levels), gradients of the log loss at the
/// base rate (g = p - y, h = p(1 - p)), as the first tree's root sees them.
/// </summary>
public class CategoricalSplitRulesTests
{
    private static readonly Lazy<(double[] Hist, double G, double H, int N)> OccupationIncome = new(() => RootHistogram("occupation", "income"));
    private static readonly Lazy<(double[] Hist, double G, double H, int N)> Offer = new(() => RootHistogram("coupon", "expiration"));

    private static GrowerSettings Settings(int minGroup = 1, bool fallback = false, double catL2 = 10) => new()
    {
        MinLeafCount = 20,
        MinChildWeight = 1e-3,
        MaxOneHotCategories = 4,
        MinCountPerCategory = 10,
        CategoricalSmoothing = 10,
        CategoricalL2 = catL2,
        MaxCategoricalThreshold = 32,
        MinCountPerCategoryGroup = minGroup,
        CategoricalOneVsRestFallback = fallback,
    };

    [Fact]
    public void MinimumGroup_ManyVsManySplitOfARealColumn_NeverCutsOffFewerRowsThanTheMinimum()
    {
        var (hist, g, h, n) = OccupationIncome.Value;

        // Without the rule the best gradient-ordered prefix of the ~200 levels moves 2,620 of 12,684 rows left.
        var loose = SplitFinder.Find(hist, categorical: true, feature: 0, g, h, n, Settings())!;
        Assert.True(loose.LeftBins!.Length > 1);
        Assert.InRange(Math.Min(loose.LeftCount, loose.RightCount), 1, 2_999);

        foreach (var minGroup in new[] { 100, 500 })
        {
            var split = SplitFinder.Find(hist, categorical: true, feature: 0, g, h, n, Settings(minGroup));
            Assert.NotNull(split);
            Assert.True(split.LeftCount >= minGroup, $"min group {minGroup}: left {split.LeftCount}");
            Assert.True(split.RightCount >= minGroup, $"min group {minGroup}: right {split.RightCount}");
            Assert.True(split.Gain <= loose.Gain + 1e-9);
        }

        // A group of 3,000 rows binds: the unconstrained split (2,620 rows on its small side) is no longer allowed, and
        // no cut within the first 32 categories of either end gathers 3,000 rows, so no many-vs-many split is left.
        var binding = SplitFinder.Find(hist, categorical: true, feature: 0, g, h, n, Settings(3_000));
        Assert.True(binding is null || (binding.Gain < loose.Gain && Math.Min(binding.LeftCount, binding.RightCount) >= 3_000));
    }

    [Fact]
    public void MinimumGroup_LargerThanHalfTheRows_LeavesNoManyVsManySplit()
    {
        var (hist, g, h, n) = OccupationIncome.Value;
        Assert.Null(SplitFinder.Find(hist, categorical: true, feature: 0, g, h, n, Settings(minGroup: (n / 2) + 1)));
    }

    [Fact]
    public void OneVsRestFallback_TakesTheBetterOfTheBestSingleCategoryAndTheManyVsManySplit()
    {
        foreach (var column in new[] { OccupationIncome, Offer })
        {
            var (hist, g, h, n) = column.Value;
            var many = SplitFinder.Find(hist, categorical: true, feature: 0, g, h, n, Settings(minGroup: 100))!;
            var (single, singleGain) = BestSingleCategory(hist, g, h, n, minLeaf: 20);

            var chosen = SplitFinder.Find(hist, categorical: true, feature: 0, g, h, n, Settings(minGroup: 100, fallback: true))!;

            Assert.Equal(Math.Max(many.Gain, singleGain), chosen.Gain, 9);
            if (singleGain > many.Gain)
            {
                Assert.Equal([single], chosen.LeftBins!);
            }
            else
            {
                Assert.Equal(many.LeftBins!, chosen.LeftBins!);
            }
        }
    }

    [Fact]
    public void OneVsRestFallback_WinsOnARealColumnOnceTheCategoricalPenaltyOutweighsTheGroup()
    {
        // coupon x expiration: "Coffee House, 1d" and "Coffee House, 2h" both reject more than the rest. With a heavy
        // categorical L2 the pair no longer pays for its penalty and the single strongest category is split off, as a
        // one-hot column would be.
        var (hist, g, h, n) = Offer.Value;
        var heavy = SplitFinder.Find(hist, categorical: true, feature: 0, g, h, n, Settings(minGroup: 100, fallback: true, catL2: 1e5))!;
        var (single, singleGain) = BestSingleCategory(hist, g, h, n, minLeaf: 20);

        Assert.Equal([single], heavy.LeftBins!);
        Assert.Equal(singleGain, heavy.Gain, 9);

        // Without the fallback the same penalty leaves a many-vs-many split with a much smaller gain.
        var noFallback = SplitFinder.Find(hist, categorical: true, feature: 0, g, h, n, Settings(minGroup: 100, catL2: 1e5));
        Assert.True(noFallback is null || noFallback.Gain < heavy.Gain);
    }

    [Fact]
    public void ModelWithoutCategoricalFeatures_IsBitIdenticalWhateverTheCategoricalSettings()
    {
        var train = TestData.BinaryTrain;
        var test = TestData.BinaryTest;
        var defaults = Fit(train, regularized: false);
        var other = Fit(train, regularized: true);

        Assert.Equal(TestData.Predict(defaults, test), TestData.Predict(other, test));
    }

    [Fact]
    public void Defaults_LeaveTheRulesOff_AndTheRulesChangeAModelWithCategoricalSplits()
    {
        var defaults = new GradientBoostingOptions();
        Assert.Equal((32, 1, false), (defaults.MaximumCategoricalSplitPointCount, defaults.MinimumExampleCountPerCategoryGroup, defaults.CategoricalOneVsRestFallback));

        // The opt-in rules change a model with categorical splits (coupon's columns are categorical).
        var (train, test) = TestData.Coupon;
        var plain = Fit(train, regularized: false);
        var regularized = Fit(train, regularized: true);

        Assert.NotEqual(TestData.Predict(plain, test), TestData.Predict(regularized, test));
    }

    [Fact]
    public void Options_MinimumGroupBelowOne_IsReportedByTheValidator()
    {
        var options = new GradientBoostingOptions { MinimumExampleCountPerCategoryGroup = 0 };
        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(options.Validate);
        Assert.Contains(nameof(GradientBoostingOptions.MinimumExampleCountPerCategoryGroup), e.Message, StringComparison.Ordinal);
    }

    /// <summary>20 trees with the defaults, or with the regularized setting docs/incremental.md measures (cap 4, group 100, fallback on).</summary>
    private static TreeEnsembleModel Fit(PatternQuality.Data.Dataset train, bool regularized) =>
        new GradientBoostingLearner(regularized
            ? new GradientBoostingOptions { Seed = 1, NumberOfTrees = 20, MaximumCategoricalSplitPointCount = 4, MinimumExampleCountPerCategoryGroup = 100, CategoricalOneVsRestFallback = true }
            : new GradientBoostingOptions { Seed = 1, NumberOfTrees = 20 }).Fit(train);

    private static (int Bin, double Gain) BestSingleCategory(double[] hist, double g, double h, int n, int minLeaf)
    {
        var best = (Bin: -1, Gain: double.NegativeInfinity);
        for (var b = 1; b < hist.Length / 3; b++)
        {
            double lg = hist[b * 3], lh = hist[(b * 3) + 1];
            var lc = (int)hist[(b * 3) + 2];
            if (lc < minLeaf || n - lc < minLeaf)
            {
                continue;
            }

            var gain = (lg * lg / lh) + ((g - lg) * (g - lg) / (h - lh)) - (g * g / h);
            if (gain > best.Gain)
            {
                best = (b, gain);
            }
        }

        return best;
    }

    /// <summary>The root histogram of two coupon columns combined into one categorical feature (bin 0 = missing, then one bin per level in first-seen order).</summary>
    private static (double[] Hist, double G, double H, int N) RootHistogram(string first, string second)
    {
        var lines = File.ReadAllLines(SharedData.Coupon).Where(l => l.Length > 0).ToArray();
        var header = lines[0].Split(',');
        int a = Array.IndexOf(header, first), b = Array.IndexOf(header, second), y = Array.IndexOf(header, "Y");
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        var p = rows.Average(r => r[y] == "1" ? 1.0 : 0.0);
        var levels = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            levels.TryAdd(r[a] + "|" + r[b], levels.Count + 1);
        }

        var hist = new double[(levels.Count + 1) * 3];
        double g = 0, h = 0;
        foreach (var r in rows)
        {
            var bin = levels[r[a] + "|" + r[b]];
            var grad = p - (r[y] == "1" ? 1.0 : 0.0);
            hist[bin * 3] += grad;
            hist[(bin * 3) + 1] += p * (1 - p);
            hist[(bin * 3) + 2] += 1;
            g += grad;
            h += p * (1 - p);
        }

        return (hist, g, h, rows.Length);
    }
}
