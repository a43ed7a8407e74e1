using PatternQuality.ActiveLearning;
using PatternQuality.Scoring;
using PatternQuality.Tests.Features;
using PatternQuality.Tests.Scoring;

namespace PatternQuality.Tests.ActiveLearning;

public class ExplorationPolicyTests
{
    private static readonly float[] _scores = [0.9f, 0.5f, 0.2f, 0.55f, 0.05f];

    [Fact]
    public void EpsilonZero_ShowsTheBestInOrderWithPropensityOne()
    {
        var choices = new ExplorationPolicy(epsilon: 0).Choose(_scores, 3, new Random(1));

        Assert.Equal([0, 3, 1], choices.Select(c => c.Index));
        Assert.Equal([0, 1, 2], choices.Select(c => c.Slot));
        Assert.All(choices, c => Assert.Equal(1.0, c.Propensity, 12));
        Assert.All(choices, c => Assert.False(c.Explored));
        Assert.Equal(0.55f, choices[1].Score);
    }

    [Fact]
    public void Propensities_MatchHowOftenEachCandidateIsChosen()
    {
        // Monte Carlo check of the stated rule for the first slot: the logged propensity is the real probability.
        var policy = new ExplorationPolicy(epsilon: 0.3);
        var random = new Random(7);
        var counts = new int[_scores.Length];
        var logged = new double[_scores.Length];
        const int Draws = 40_000;
        for (var i = 0; i < Draws; i++)
        {
            var first = policy.Choose(_scores, 1, random)[0];
            counts[first.Index]++;
            logged[first.Index] = first.Propensity;
        }

        for (var i = 0; i < _scores.Length; i++)
        {
            Assert.True(logged[i] > 0, $"candidate {i} was never chosen");
            var observed = counts[i] / (double)Draws;
            Assert.True(Math.Abs(logged[i] - observed) < 0.01, $"candidate {i}: logged {logged[i]:F4}, observed {observed:F4}");
        }

        Assert.Equal(1.0, logged.Sum(), 9);
    }

    [Fact]
    public void EpsilonOne_AlwaysExploresAndEveryCandidateCanBeShown()
    {
        var choices = new ExplorationPolicy(epsilon: 1).Choose(_scores, 10, new Random(3));

        Assert.Equal(5, choices.Length);
        Assert.Equal(5, choices.Select(c => c.Index).Distinct().Count());
        Assert.All(choices, c => Assert.True(c.Explored && c.Propensity > 0 && c.Propensity <= 1));
        Assert.Equal(1.0, choices[^1].Propensity, 12); // the last open candidate is certain
    }

    [Fact]
    public void BadArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExplorationPolicy(epsilon: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExplorationPolicy(explorationFloor: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExplorationPolicy().Choose(_scores, -1));
        Assert.Empty(new ExplorationPolicy().Choose([], 3));
        Assert.Equal(0, new ExplorationPolicy(epsilon: 0).Choose([float.NaN, 0.2f], 1)[0].Index); // NaN counts as 0.5
    }

    [Fact]
    public void ChooseForFeedback_ScoresWithTheCurrentModel()
    {
        var extractor = new PatternQuality.Features.FeatureExtractorBuilder<Suggestion>()
            .Numeric("confidence", s => s.Confidence)
            .Build();
        var holder = new QualityModelHolder();
        var scorer = new PatternScorer<Suggestion>(extractor, holder);
        holder.Swap(new FakeQualityModel(scorer.Schema));
        Suggestion[] candidates = [new(Confidence: 0.1), new(Confidence: 0.8), new(Confidence: 0.6)];

        var choices = scorer.ChooseForFeedback(candidates, 2, new ExplorationPolicy(epsilon: 0));

        Assert.Equal([1, 2], choices.Select(c => c.Index));
        Assert.Equal(0.8f, choices[0].Score);
        Assert.Throws<ArgumentNullException>(() => scorer.ChooseForFeedback(null!, 1));
    }
}
