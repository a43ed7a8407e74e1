using PatternQuality.Features;
using PatternQuality.Scheduling;
using PatternQuality.Scoring;
using PatternQuality.Tests.Features;
using PatternQuality.Tests.Scoring;

namespace PatternQuality.Tests.Scheduling;

public class BestTimesTests
{
    [Fact]
    public void BestTimes_RecomputesTimeFeaturesPerSlotAndRanksThem()
    {
        // The fake model scores by the first feature, here the hour of day's sine: highest at 06:00, lowest at 18:00.
        var extractor = new FeatureExtractorBuilder<Suggestion>().Timestamp("shown", s => s.ShownAt).Build();
        var holder = new QualityModelHolder();
        var scorer = new PatternScorer<Suggestion>(extractor, holder);
        holder.Swap(new FakeQualityModel(scorer.Schema));
        var day = new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
        var hours = Enumerable.Range(0, 24).Select(h => day.AddHours(h)).Reverse();

        var best = scorer.BestTimes(new Suggestion(), hours, (s, t) => s with { ShownAt = t }, top: 3);

        Assert.Equal(3, best.Count);
        Assert.Equal(day.AddHours(6), best[0].Time);
        Assert.Equal(1f, best[0].Score, 4);
        Assert.Equal([day.AddHours(5), day.AddHours(7)], best.Skip(1).Select(b => b.Time)); // equal scores: earlier first
        Assert.Empty(scorer.BestTimes(new Suggestion(), hours, (s, t) => s with { ShownAt = t }, top: 0));
        Assert.Throws<ArgumentNullException>(() => scorer.BestTimes(new Suggestion(), hours, null!, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => scorer.BestTimes(new Suggestion(), hours, (s, t) => s, -1));
    }
}
