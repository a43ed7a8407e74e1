using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Scheduling;
using PatternQuality.Scoring;
using PatternQuality.Tests.TestUtils;
using PatternQuality.Training;
using Xunit.Abstractions;

namespace PatternQuality.Tests.Scheduling;

/// <summary>
/// <see cref="PatternScorerSchedulingExtensions.ExplainBestTimes{TPattern}"/> on real data: the in-vehicle coupon
/// survey, where each coupon was offered at one of five times of day (7AM to 10PM) and accepted or not.
/// </summary>
public class ExplainBestTimesTests
{
    private static readonly DateTimeOffset _monday = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
    private static readonly int[] _couponHours = [7, 10, 14, 18, 22];
    private static readonly Lazy<(ServiceProvider Services, CouponOffer[] Held, FeatureExtractor<CouponOffer> Extractor)> _trained = new(Train);
    private readonly ITestOutputHelper _output;

    public ExplainBestTimesTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void ExplainBestTimes_CouponSurvey_EverySlotSaysWhyWithTheTimeFeature()
    {
        var (sp, held, _) = _trained.Value;
        var scorer = sp.GetRequiredService<PatternScorer<CouponOffer>>();
        var times = _couponHours.Select(h => _monday.AddHours(h)).ToArray();
        var agrees = 0;
        var checkedOffers = 0;
        foreach (var offer in held.Take(150))
        {
            var slots = scorer.ExplainBestTimes(offer, times, (o, t) => o with { ShownAt = t }, top: 5, reasons: 3);
            if (offer.Coupon == "Coffee House" && checkedOffers < 3)
            {
                // What docs/active-learning.md quotes: a real offer's slots and reasons.
                _output.WriteLine(offer.ToString());
                foreach (var slot in slots)
                {
                    _output.WriteLine($"  {slot}  |  {slot.Explanation.Reason}");
                }
            }


            // Every slot, best first, with the score the scorer gives the pattern shown then.
            Assert.Equal(5, slots.Count);
            Assert.Equal(slots.Select(s => s.Score).OrderByDescending(s => s), slots.Select(s => s.Score));
            Assert.Equal(times.Order(), slots.Select(s => s.Time).Order());
            var plain = scorer.BestTimes(offer, times, (o, t) => o with { ShownAt = t }, top: 5);
            Assert.Equal(plain.Select(p => p.Score), slots.Select(s => s.Score));
            foreach (var slot in slots)
            {
                Assert.Equal(scorer.Score(offer with { ShownAt = slot.Time }), slot.Score);
                Assert.InRange(slot.Explanation.Contributions.Count, 0, 3);
                Assert.Equal(slot.Score, slot.Explanation.Score);

                // Only the timestamp changes with the time; its value is the slot's own time.
                Assert.All(slot.TimeContributions, c => Assert.Equal("shown", c.Name));
                var shown = Assert.Single(slot.TimeContributions);
                Assert.Equal(slot.Time.ToString("ddd HH:mm", CultureInfo.InvariantCulture), shown.Value);
                if (Math.Abs(shown.Contribution) >= 0.005)
                {
                    Assert.Contains($"shown = {shown.Value} (", slot.Reason, StringComparison.Ordinal);
                }

                Assert.Contains(slot.Reason, slot.ToString(), StringComparison.Ordinal);
            }

            // The reason points the right way: the best slot's time contribution beats the worst slot's (the only
            // feature that differs; tree interactions can redistribute a little, so most offers, not all).
            if (slots[0].Score > slots[^1].Score + 0.01f)
            {
                checkedOffers++;
                if (slots[0].TimeContributions[0].Contribution > slots[^1].TimeContributions[0].Contribution)
                {
                    agrees++;
                }
            }
        }

        Assert.True(checkedOffers >= 50, $"only {checkedOffers} offers whose score depends on the time");
        Assert.True(agrees >= 0.9 * checkedOffers, $"the time contribution ranks best above worst for {agrees} of {checkedOffers} offers");
    }

    [Fact]
    public void ExplainBestTimes_BadInputAndEdges()
    {
        var (sp, held, extractor) = _trained.Value;
        var scorer = sp.GetRequiredService<PatternScorer<CouponOffer>>();
        var offer = held[0];
        var times = _couponHours.Select(h => _monday.AddHours(h)).ToArray();
        Func<CouponOffer, DateTimeOffset, CouponOffer> at = (o, t) => o with { ShownAt = t };

        Assert.Empty(scorer.ExplainBestTimes(offer, times, at, top: 0));
        Assert.Empty(scorer.ExplainBestTimes(offer, [], at, top: 3));
        Assert.Equal(2, scorer.ExplainBestTimes(offer, times, at, top: 2).Count);

        // One slot: nothing to compare it with, so no feature is about the time.
        var single = Assert.Single(scorer.ExplainBestTimes(offer, times.Take(1), at, top: 3));
        Assert.Empty(single.TimeContributions);
        Assert.Equal("the time does not change this pattern's score", single.Reason);

        Assert.Throws<ArgumentOutOfRangeException>(() => scorer.ExplainBestTimes(offer, times, at, top: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => scorer.ExplainBestTimes(offer, times, at, top: 3, reasons: 0));
        Assert.Throws<ArgumentNullException>(() => scorer.ExplainBestTimes(offer, times, null!, top: 3));
        Assert.Throws<InvalidOperationException>(() => scorer.ExplainBestTimes(offer, times, (o, t) => null!, top: 3));

        // No model yet: a clear error, not a default score pretending to have reasons.
        var empty = new PatternScorer<CouponOffer>(extractor, new QualityModelHolder());
        Assert.Throws<InvalidOperationException>(() => empty.ExplainBestTimes(offer, times, at, top: 3));
    }

    private static (ServiceProvider, CouponOffer[], FeatureExtractor<CouponOffer>) Train()
    {
        var offers = ReadCoupons();
        var extractor = new FeatureExtractorBuilder<CouponOffer>()
            .Categorical("coupon", o => o.Coupon)
            .Categorical("destination", o => o.Destination)
            .Categorical("expiration", o => o.Expiration)
            .Categorical("coffee house visits", o => o.CoffeeHouse)
            .Categorical("bar visits", o => o.Bar)
            .Timestamp("shown", o => o.ShownAt)
            .Fit(offers.Select(o => o.Offer));
        var services = new ServiceCollection();
        services.AddPatternQuality<CouponOffer>().UseFeatureExtractor(extractor);
        services.Configure<QualityTrainerOptions>(o => o.GradientBoosting.NumberOfTrees = 60);
        var sp = services.BuildServiceProvider();
        var source = new InMemoryFeedbackSource<CouponOffer>();
        for (var i = 0; i < 8000; i++)
        {
            source.Add(new FeedbackRecord<CouponOffer>(
                "c" + i.ToString(CultureInfo.InvariantCulture), i, offers[i].Offer, offers[i].Accepted ? FeedbackOutcome.Approved : FeedbackOutcome.Rejected, offers[i].Offer.ShownAt));
        }

        var result = sp.GetRequiredService<QualityTrainer>().TrainAsync(source, extractor).GetAwaiter().GetResult();
        sp.GetRequiredService<QualityModelHolder>().Swap(result.Model);
        return (sp, offers.Skip(8000).Select(o => o.Offer).ToArray(), extractor);
    }

    private static (CouponOffer Offer, bool Accepted)[] ReadCoupons()
    {
        var lines = File.ReadAllLines(SharedData.Coupon);
        var header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        int time = Col("time"), coupon = Col("coupon"), destination = Col("destination"), expiration = Col("expiration"),
            coffee = Col("CoffeeHouse"), bar = Col("Bar"), y = Col("Y");
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).Select(r =>
        {
            var hour = r[time] switch
            {
                "7AM" => 7,
                "10AM" => 10,
                "2PM" => 14,
                "6PM" => 18,
                "10PM" => 22,
                _ => throw new InvalidDataException("Unknown coupon time " + r[time]),
            };
            var offer = new CouponOffer(r[coupon], r[destination], r[expiration], r[coffee], r[bar], _monday.AddHours(hour));
            return (offer, r[y] == "1");
        }).ToArray();
    }
}

/// <summary>A coupon offered to a driver: what it was, where they were going, their habits, and when it was shown.</summary>
internal sealed record CouponOffer(string Coupon, string Destination, string Expiration, string CoffeeHouse, string Bar, DateTimeOffset ShownAt);
