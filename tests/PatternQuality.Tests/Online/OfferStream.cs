using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Scoring;
using PatternQuality.Trees;

namespace PatternQuality.Tests.Online;

/// <summary>A host-like pattern for the incremental learner tests.</summary>
internal sealed record Offer(double Price, double Quality, string Segment, string User, bool Broken = false);

/// <summary>A synthetic, reproducible feedback stream whose concept can flip (for drift and update tests).</summary>
internal static class OfferStream
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static FeatureExtractor<Offer> Extractor() => new FeatureExtractorBuilder<Offer>()
        .Numeric("price", o => o.Broken ? throw new InvalidOperationException("price feed down") : o.Price)
        .Numeric("quality", o => o.Quality)
        .Categorical("segment", o => o.Segment, ["a", "b", "c"])
        .History("user", o => o.User)
        .Build();

    /// <summary>Approval rises with quality and falls with price; <paramref name="flipped"/> reverses both (concept drift).</summary>
    public static List<FeedbackRecord<Offer>> Generate(int count, int seed, long firstSequence = 0, bool flipped = false, Func<int, bool>? approvedOverride = null)
    {
        var random = new Random(seed);
        var records = new List<FeedbackRecord<Offer>>(count);
        for (var i = 0; i < count; i++)
        {
            var price = random.NextDouble();
            var quality = random.NextDouble();
            var segment = ((char)('a' + random.Next(3))).ToString();
            var margin = (3 * quality) - (3 * price) + (segment == "a" ? 0.5 : 0);
            var p = 1 / (1 + Math.Exp(flipped ? margin : -margin));
            var approved = approvedOverride?.Invoke(i) ?? random.NextDouble() < p;
            var sequence = firstSequence + i;
            records.Add(new FeedbackRecord<Offer>(
                $"r{sequence}", sequence, new Offer(price, quality, segment, $"u{random.Next(20)}"),
                approved ? FeedbackOutcome.Approved : FeedbackOutcome.Rejected, Start.AddMinutes(sequence)));
        }

        return records;
    }

    /// <summary>Trains the starting model on <paramref name="records"/>, observing them into the extractor's history.</summary>
    public static QualityModel Train(FeatureExtractor<Offer> extractor, IEnumerable<FeedbackRecord<Offer>> records, int trees = 30)
    {
        var data = extractor.ExtractTraining(records);
        var model = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = trees, NumberOfLeaves = 8, NumberOfThreads = 1 }).Fit(data);
        return new QualityModel(model, history: extractor.History.Clone());
    }
}
