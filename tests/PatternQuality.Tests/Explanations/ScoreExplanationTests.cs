using Microsoft.Extensions.DependencyInjection;
using PatternQuality.Features;
using PatternQuality.Scoring;
using PatternQuality.Tests.Scoring;
using PatternQuality.Tests.Training;
using PatternQuality.Training;
using PatternQuality.Trees;

namespace PatternQuality.Tests.Explanations;

/// <summary><see cref="PatternScorer{TPattern}.Explain"/> through DI on a model trained from real MovieLens feedback.</summary>
public class ScoreExplanationTests
{
    private static readonly Lazy<(ServiceProvider Services, FeatureExtractor<MovieSuggestion> Extractor, QualityModel Model)> _trained = new(Train);

    private static (ServiceProvider, FeatureExtractor<MovieSuggestion>, QualityModel) Train()
    {
        var extractor = MovieLensFeedback.CreateExtractor();
        var services = new ServiceCollection();
        services.AddPatternQuality<MovieSuggestion>().UseFeatureExtractor(extractor);
        services.Configure<QualityTrainerOptions>(o => o.GradientBoosting.NumberOfTrees = 60);
        var sp = services.BuildServiceProvider();
        var result = sp.GetRequiredService<QualityTrainer>().TrainAsync(MovieLensFeedback.CreateSource(), extractor).GetAwaiter().GetResult();
        sp.GetRequiredService<QualityModelHolder>().Swap(result.Model);
        return (sp, extractor, result.Model);
    }

    [Fact]
    public void Explain_RealModel_NamesDeclaredFeaturesWithUserValuesAndAddsUp()
    {
        var (sp, extractor, model) = _trained.Value;
        var scorer = sp.GetRequiredService<PatternScorer<MovieSuggestion>>();
        var tree = Assert.IsType<TreeEnsembleModel>(model.Predictor);
        var checkedRows = 0;
        foreach (var record in MovieLensFeedback.Records.Skip(3500).Take(200))
        {
            var pattern = record.Pattern;
            var explanation = scorer.Explain(pattern, top: 4);

            Assert.Equal(scorer.Score(pattern), explanation.Score);
            Assert.Equal(tree.PredictRaw(extractor.Extract(pattern)), explanation.RawScore, 1e-9);

            // Four declared features (genre, year, user, movie): with top = 4 every one that moved the score is named.
            Assert.InRange(explanation.Contributions.Count, 1, 4);
            Assert.Equal(explanation.RawScore - explanation.Bias, explanation.Contributions.Sum(c => c.Contribution), 1e-9);
            Assert.Equal(explanation.Score - explanation.BaseScore, explanation.Contributions.Sum(c => c.ProbabilityContribution), 1e-5);
            var magnitudes = explanation.Contributions.Select(c => Math.Abs(c.Contribution)).ToArray();
            Assert.Equal(magnitudes.OrderByDescending(m => m), magnitudes);
            Assert.All(explanation.Contributions, c => Assert.Contains(c.Name, new[] { "genre", "year", "user", "movie" }));

            var genre = explanation.Contributions.Where(c => c.Name == "genre").ToList();
            if (genre.Count == 1)
            {
                Assert.Equal(pattern.Genre, genre[0].Value);
            }

            var user = explanation.Contributions.Where(c => c.Name == "user").ToList();
            if (user.Count == 1)
            {
                Assert.StartsWith(pattern.User, user[0].Value, StringComparison.Ordinal);
            }

            Assert.Equal(explanation.Reason, explanation.ToString());
            checkedRows++;
        }

        Assert.Equal(200, checkedRows);
    }

    [Fact]
    public void Explain_ReasonText_ReadsLikeTheIssueExample()
    {
        var (sp, _, _) = _trained.Value;
        var scorer = sp.GetRequiredService<PatternScorer<MovieSuggestion>>();
        var explanations = MovieLensFeedback.Records.Skip(3000).Take(300).Select(r => scorer.Explain(r.Pattern, 3)).ToList();

        var up = explanations.First(e => e.Contributions.Count > 0 && e.Contributions[0].Contribution > 0.05);
        Assert.StartsWith("more likely approved: ", up.Reason, StringComparison.Ordinal);
        var c = up.Contributions[0];
        Assert.Contains($"{c.Name} = {c.Value} (+", up.Reason, StringComparison.Ordinal);

        var down = explanations.First(e => e.Contributions.Any(x => x.Contribution < -0.05) && e.Contributions.Any(x => x.Contribution > 0.05));
        Assert.Matches(@"^more likely approved: .+ \(\+\d\.\d\d\)(, .+)?; less likely: .+ \(-\d\.\d\d\)", down.Reason);
    }

    [Fact]
    public void Explain_PerRequest_AllocatesOnlyTheResult()
    {
        var (sp, _, _) = _trained.Value;
        var scorer = sp.GetRequiredService<PatternScorer<MovieSuggestion>>();
        var pattern = MovieLensFeedback.Records[3900].Pattern with { User = "no-such-user" };
        scorer.Explain(pattern, 2);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            scorer.Explain(pattern, 2);
        }

        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;

        // The explanation object, its two entries and their value strings; no per-feature or per-tree garbage.
        Assert.True(perCall < 600, $"{perCall} bytes per call");
    }

    [Fact]
    public void Suggest_Candidates_RanksAsRankAndExplainsOnlyTheTop()
    {
        var (sp, _, _) = _trained.Value;
        var scorer = sp.GetRequiredService<PatternScorer<MovieSuggestion>>();
        var candidates = MovieLensFeedback.Records.Skip(3600).Take(60).Select(r => r.Pattern).ToList();

        var suggested = scorer.Suggest(candidates, top: 5, reasons: 2);

        var ranked = scorer.Rank(candidates, top: 5);
        Assert.Equal(ranked.Select(r => r.Pattern), suggested.Select(s => s.Pattern));
        Assert.Equal(ranked.Select(r => r.Score), suggested.Select(s => s.Score));
        Assert.All(suggested, s =>
        {
            Assert.Equal(s.Score, s.Explanation.Score);
            Assert.Equal(scorer.Explain(s.Pattern, 2).Reason, s.Explanation.Reason);
            Assert.InRange(s.Explanation.Contributions.Count, 1, 2);
            Assert.False(string.IsNullOrEmpty(s.Explanation.Reason));
        });
        Assert.Single(scorer.Suggest(candidates.Take(1), top: 3));
        Assert.Empty(scorer.Suggest([], top: 3));

        Assert.Throws<ArgumentOutOfRangeException>(() => scorer.Suggest(candidates, top: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => scorer.Suggest(candidates, top: 1, reasons: 0));
        Assert.Throws<ArgumentException>(() => scorer.Suggest([candidates[0], null!], top: 1));
        Assert.Throws<ArgumentNullException>(() => scorer.Suggest(null!, top: 1));
    }

    [Fact]
    public void Explain_BadInput_ThrowsClearExceptions()
    {
        var (sp, extractor, _) = _trained.Value;
        var scorer = sp.GetRequiredService<PatternScorer<MovieSuggestion>>();
        Assert.Throws<ArgumentNullException>(() => scorer.Explain(null!, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => scorer.Explain(MovieLensFeedback.Records[0].Pattern, 0));

        var empty = new PatternScorer<MovieSuggestion>(extractor, new QualityModelHolder());
        Assert.Throws<InvalidOperationException>(() => empty.Explain(MovieLensFeedback.Records[0].Pattern, 3));

        var fake = new PatternScorer<MovieSuggestion>(extractor, new QualityModelHolder(new FakeQualityModel(extractor.Schema)));
        Assert.Throws<NotSupportedException>(() => fake.Explain(MovieLensFeedback.Records[0].Pattern, 3));
        Assert.Throws<InvalidOperationException>(() => empty.Suggest([MovieLensFeedback.Records[0].Pattern], 3));
        Assert.Throws<NotSupportedException>(() => fake.Suggest([MovieLensFeedback.Records[0].Pattern], 3));
    }

    [Fact]
    public void Explain_TimestampAndBoolean_AreDescribedAsGiven()
    {
        var (sp, _, model) = _trained.Value;
        var extractor = new FeatureExtractorBuilder<(DateTimeOffset? At, bool? Flag, double? X)>()
            .Timestamp("shown", p => p.At)
            .Boolean("flag", p => p.Flag)
            .Numeric("x", p => p.X)
            .Build();
        var pattern = ((DateTimeOffset?)new DateTimeOffset(2026, 11, 28, 23, 0, 0, TimeSpan.Zero), (bool?)true, (double?)0.92);
        var x = extractor.Extract(pattern);
        Assert.Equal("Sat 23:00", extractor.DescribeDeclaredFeature(0, pattern, x.AsSpan(0, 4)));
        Assert.Equal("true", extractor.DescribeDeclaredFeature(1, pattern, x.AsSpan(4, 1)));
        Assert.Equal("0.92", extractor.DescribeDeclaredFeature(2, pattern, x.AsSpan(5, 1)));
        var missing = ((DateTimeOffset?)null, (bool?)null, (double?)null);
        var y = extractor.Extract(missing);
        Assert.Null(extractor.DescribeDeclaredFeature(0, missing, y.AsSpan(0, 4)));
        Assert.Null(extractor.DescribeDeclaredFeature(1, missing, y.AsSpan(4, 1)));
        Assert.Null(extractor.DescribeDeclaredFeature(2, missing, y.AsSpan(5, 1)));
        Assert.Equal(3, extractor.DeclaredFeatureCount);
        Assert.Equal("shown", extractor.DeclaredFeatureName(0));
        Assert.Equal(4, extractor.DeclaredFeatureWidth(0));
        Assert.True(model.CanExplain);
    }
}
