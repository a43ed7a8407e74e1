using PatternQuality.Tests.TestUtils;
using PatternQuality.ActiveLearning;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Trees;

namespace PatternQuality.Tests.ActiveLearning;

public class QueryStrategyTests
{
    [Fact]
    public void Create_EveryName_GivesAStrategyOfThatName()
    {
        foreach (var name in QueryStrategies.Names)
        {
            Assert.Equal(name, QueryStrategies.Create(name).Name);
        }

        Assert.Equal("margin", QueryStrategies.Create(" Margin ").Name);
        var ex = Assert.Throws<ArgumentException>(() => QueryStrategies.Create("oracle"));
        Assert.Contains("least-confident", ex.Message);
    }

    [Theory]
    [InlineData(UncertaintyMeasure.LeastConfident)]
    [InlineData(UncertaintyMeasure.Margin)]
    [InlineData(UncertaintyMeasure.Entropy)]
    public void Uncertainty_IsOneAtACoinFlipZeroWhenCertainAndSymmetric(UncertaintyMeasure measure)
    {
        Assert.Equal(1.0, UncertaintyQueryStrategy.Uncertainty(0.5, measure), 12);
        Assert.Equal(0.0, UncertaintyQueryStrategy.Uncertainty(0.0, measure), 12);
        Assert.Equal(0.0, UncertaintyQueryStrategy.Uncertainty(1.0, measure), 12);
        Assert.Equal(UncertaintyQueryStrategy.Uncertainty(0.2, measure), UncertaintyQueryStrategy.Uncertainty(0.8, measure), 12);
        Assert.True(UncertaintyQueryStrategy.Uncertainty(0.4, measure) > UncertaintyQueryStrategy.Uncertainty(0.1, measure));
        Assert.Equal(1.0, UncertaintyQueryStrategy.Uncertainty(double.NaN, measure), 12);
        Assert.Equal(0.0, UncertaintyQueryStrategy.Uncertainty(7, measure), 12);
    }

    [Fact]
    public void Uncertainty_BinaryMeasures_ChooseTheSameRows()
    {
        var rows = Enumerable.Range(0, 50).Select(i => ((float)((i * 37 % 50) / 50.0), (float)(i % 10))).ToArray();
        var chosen = new[] { UncertaintyMeasure.LeastConfident, UncertaintyMeasure.Margin, UncertaintyMeasure.Entropy }
            .Select(m => new UncertaintyQueryStrategy(m).Select(ProbabilityModel.Context(rows), 10))
            .ToArray();

        Assert.Equal(chosen[0], chosen[1]);
        Assert.Equal(chosen[0], chosen[2]);
        Assert.All(chosen[0], r => Assert.InRange(rows[r].Item1, 0.38f, 0.62f));
    }

    [Fact]
    public void Random_IsDistinctReproducibleAndOnlyFromCandidates()
    {
        var pool = new float[200];
        int[] candidates = [.. Enumerable.Range(0, 100).Where(i => i % 3 != 0)];
        QueryContext Context(int seed) => new(ProbabilityModel.TwoFeatures, pool, candidates, new ProbabilityModel(ProbabilityModel.TwoFeatures), seed: seed);

        var first = new RandomQueryStrategy().Select(Context(1), 20);
        Assert.Equal(20, first.Distinct().Count());
        Assert.All(first, r => Assert.Contains(r, candidates));
        Assert.Equal(first, new RandomQueryStrategy().Select(Context(1), 20));
        Assert.NotEqual(first, new RandomQueryStrategy().Select(Context(2), 20));
        Assert.Equal(candidates.Length, new RandomQueryStrategy().Select(Context(1), 1000).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomQueryStrategy().Select(Context(1), -1));
    }

    [Fact]
    public void Context_RejectsBadInputWithClearErrors()
    {
        var schema = ProbabilityModel.TwoFeatures;
        var model = new ProbabilityModel(schema);
        Assert.Contains("whole rows", Assert.Throws<ArgumentException>(() => new QueryContext(schema, new float[3], [0], model)).Message);
        Assert.Contains("pool has 2 rows", Assert.Throws<ArgumentException>(() => new QueryContext(schema, new float[4], [2], model)).Message);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => new QueryContext(schema, new float[4], [1, 1], model)).Message);
        var other = new FeatureSchema([new FeatureDefinition("x", FeatureKind.Numeric), new FeatureDefinition("y", FeatureKind.Numeric)]);
        Assert.Contains("another schema", Assert.Throws<ArgumentException>(() => new QueryContext(schema, new float[4], [0], new ProbabilityModel(other))).Message);
        Assert.Throws<ArgumentNullException>(() => new QueryContext(schema, new float[4], null!, model));
        Assert.Throws<ArgumentOutOfRangeException>(() => new QueryContext(schema, new float[4], [0], model).GetRow(2));
    }

    [Fact]
    public void Diverse_SpreadsABatchThatUncertaintyWouldSpendOnDuplicates()
    {
        // Forty identical rows at a coin flip, and ten different rows that are nearly as uncertain.
        var rows = Enumerable.Repeat((0.5f, 0f), 40).Concat(Enumerable.Range(0, 10).Select(i => (0.45f, (float)i))).ToArray();

        var uncertain = new UncertaintyQueryStrategy().Select(ProbabilityModel.Context(rows), 5);
        var diverse = new DiverseBatchQueryStrategy().Select(ProbabilityModel.Context(rows), 5);

        Assert.All(uncertain, r => Assert.True(r < 40));
        Assert.Equal(5, diverse.Distinct().Count());
        Assert.Equal(1, diverse.Count(r => r < 40)); // the most uncertain row once, then four different kinds
        Assert.True(diverse.Select(r => rows[r].Item2).Distinct().Count() >= 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DiverseBatchQueryStrategy(shortlistFactor: 0));
    }

    [Fact]
    public void Density_PrefersTypicalRowsOverEquallyUncertainOutliers()
    {
        // Twenty rows of kind 0 and one outlier of kind 9, all at p = 0.5.
        var rows = Enumerable.Repeat((0.5f, 0f), 20).Append((0.5f, 9f)).ToArray();
        var context = ProbabilityModel.Context(rows);

        var weighted = new DensityWeightedQueryStrategy().Informativeness(context);
        var plain = new DensityWeightedQueryStrategy(beta: 0).Informativeness(context);

        Assert.True(weighted[20] < weighted[0]);
        Assert.All(plain, v => Assert.Equal(1.0, v, 12));
        Assert.DoesNotContain(20, new DensityWeightedQueryStrategy().Select(context, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DensityWeightedQueryStrategy(beta: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DensityWeightedQueryStrategy(sampleSize: 0));
    }

    [Fact]
    public void Balanced_KeepsARandomShareBesideTheInformedPicks()
    {
        // Forty rows at a coin flip (kind 0 to 9), 360 confident rows: least-confident alone would take only coin flips.
        var rows = Enumerable.Range(0, 400).Select(i => (i < 40 ? 0.5f : 0.02f, (float)(i % 10))).ToArray();
        var strategy = new BalancedQueryStrategy(new UncertaintyQueryStrategy(), randomFraction: 0.25);

        var chosen = strategy.Select(ProbabilityModel.Context(rows, seed: 4), 40);

        Assert.Equal("balanced", strategy.Name);
        Assert.Equal(40, chosen.Distinct().Count());
        Assert.All(chosen.Take(30), r => Assert.True(r < 40)); // the informed share first: the coin flips
        Assert.True(chosen.Skip(30).Count(r => r >= 40) >= 7, "the random share should mostly land on the 90% confident rows");
        Assert.Equal(chosen, strategy.Select(ProbabilityModel.Context(rows, seed: 4), 40));
        Assert.NotEqual(chosen.Skip(30), strategy.Select(ProbabilityModel.Context(rows, seed: 5), 40).Skip(30));

        // The ends: no random share is the informed strategy; asking for more than is open returns every candidate.
        Assert.Equal(
            new UncertaintyQueryStrategy().Select(ProbabilityModel.Context(rows, seed: 4), 40),
            new BalancedQueryStrategy(new UncertaintyQueryStrategy(), 0).Select(ProbabilityModel.Context(rows, seed: 4), 40));
        Assert.Equal(400, new BalancedQueryStrategy().Select(ProbabilityModel.Context(rows), 1000).Distinct().Count());
        Assert.Empty(new BalancedQueryStrategy().Select(ProbabilityModel.Context(rows), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BalancedQueryStrategy(randomFraction: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BalancedQueryStrategy(randomFraction: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BalancedQueryStrategy().Select(ProbabilityModel.Context(rows), -1));
    }

    [Fact]
    public void Density_ShortlistBoundsTheWorkAndKeepsTheMostInformative()
    {
        // 300 rows: 30 coin flips, the rest confident; a shortlist of 50 weights only the 50 most uncertain.
        var rows = Enumerable.Range(0, 300).Select(i => (i < 30 ? 0.5f : 0.1f + (i * 0.001f), (float)(i % 3))).ToArray();
        var weighted = new DensityWeightedQueryStrategy(shortlistSize: 50).Informativeness(ProbabilityModel.Context(rows));

        Assert.Equal(250, weighted.Count(v => v == 0));
        Assert.All(weighted.Take(30), v => Assert.True(v > 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DensityWeightedQueryStrategy(shortlistSize: 0));
    }

    [Fact]
    public void Committee_OnCoupon_ChoosesWhereBootstrapModelsDisagree()
    {
        var data = CsvDatasetLoader.Load(SharedData.Coupon, new CsvLoadOptions { LabelColumn = "Y", Drop = { "car" } }).Dataset;
        var labelled = data.Select(Enumerable.Range(0, 300).ToArray());
        var learner = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 20, NumberOfLeaves = 8 });
        var model = learner.Fit(labelled);
        int[] candidates = [.. Enumerable.Range(300, 2000)];
        var context = new QueryContext(data.Schema, data.Features, candidates, model, labelled, learner, seed: 3);

        var strategy = new CommitteeQueryStrategy(members: 3);
        var disagreement = strategy.Informativeness(context);
        var chosen = strategy.Select(context, 50);

        Assert.All(disagreement, d => Assert.True(d >= 0 && double.IsFinite(d)));
        Assert.True(disagreement.Max() > 0);
        Assert.Equal(50, chosen.Distinct().Count());
        var chosenMean = chosen.Average(r => disagreement[r - 300]);
        Assert.True(chosenMean > disagreement.Average() * 1.5, $"chosen {chosenMean}, pool {disagreement.Average()}");

        // Only the shortlist of the 1,000 least sure candidates is scored by the committee.
        Assert.True(disagreement.Count(d => d == 0) >= 1000);

        // Small members (5 trees each instead of the learner's 20) over a shortlist of 200 still find disagreement there.
        var small = new CommitteeQueryStrategy(members: 2, memberTrees: 5, shortlistSize: 200);
        var smallDisagreement = small.Informativeness(context);
        Assert.True(smallDisagreement.Count(d => d == 0) >= 1800);
        Assert.True(smallDisagreement.Max() > 0);
        Assert.Equal(50, small.Select(context, 50).Distinct().Count());

        var noLearner = new QueryContext(data.Schema, data.Features, candidates, model, labelled);
        Assert.Contains("learner", Assert.Throws<InvalidOperationException>(() => strategy.Informativeness(noLearner)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CommitteeQueryStrategy(members: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CommitteeQueryStrategy(memberTrees: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CommitteeQueryStrategy(shortlistSize: 0));
    }

    [Fact]
    public void Hedged_OnCoupon_IsRandomDuringTheWarmUpThenTheInformedStrategy()
    {
        var data = CsvDatasetLoader.Load(SharedData.Coupon, new CsvLoadOptions { LabelColumn = "Y", Drop = { "car" } }).Dataset;
        var few = data.Select(Enumerable.Range(0, 100).ToArray());
        var many = data.Select(Enumerable.Range(0, 6000).ToArray());
        var model = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 20, NumberOfLeaves = 8 }).Fit(few);
        int[] candidates = [.. Enumerable.Range(6000, 3000)];
        var hedged = new HedgedQueryStrategy();

        // 100 labels hold fewer than 10 x 24 features examples of the rarer class: random sampling's very picks.
        var early = new QueryContext(data.Schema, data.Features, candidates, model, few, seed: 5);
        Assert.True(hedged.IsWarmingUp(early));
        Assert.Equal(new RandomQueryStrategy().Select(early, 50), hedged.Select(early, 50));

        // 6,000 labels hold over 2,000 of each class: the informed strategy's picks.
        var late = new QueryContext(data.Schema, data.Features, candidates, model, many, seed: 5);
        Assert.False(hedged.IsWarmingUp(late));
        Assert.Equal(new UncertaintyQueryStrategy().Select(late, 50), hedged.Select(late, 50));

        // The rarer class counts, not the labels: 300 labels of which only 20 negatives are still a warm-up at 1 per feature.
        var skewed = data.Select([.. Enumerable.Range(0, data.RowCount).Where(r => data.Labels.Span[r] > 0.5f).Take(280),
                                  .. Enumerable.Range(0, data.RowCount).Where(r => data.Labels.Span[r] < 0.5f).Take(20)]);
        var skewedContext = new QueryContext(data.Schema, data.Features, candidates, model, skewed, seed: 5);
        Assert.True(new HedgedQueryStrategy(eventsPerFeature: 1).IsWarmingUp(skewedContext));
        Assert.False(new HedgedQueryStrategy(eventsPerFeature: 0).IsWarmingUp(skewedContext));
        Assert.Equal("hedged", QueryStrategies.Create("hedged").Name);

        var unlabelled = new QueryContext(data.Schema, data.Features, candidates, model);
        Assert.Contains("labelled rows", Assert.Throws<InvalidOperationException>(() => hedged.Select(unlabelled, 5)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new HedgedQueryStrategy(eventsPerFeature: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HedgedQueryStrategy(eventsPerFeature: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => hedged.Select(late, -1));
    }
}
