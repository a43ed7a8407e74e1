using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PatternQuality.Calibration;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Hosting;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Tests.Online;
using PatternQuality.Tests.Storage;
using PatternQuality.Tests.TestUtils;
using PatternQuality.Trees;
using PatternQuality.Versioning;

namespace PatternQuality.Tests.Scoring;

/// <summary>
/// A multiclass model served through <see cref="PatternScorer{TPattern}"/> and <see cref="QualityModelHolder"/>: real
/// MovieLens ratings as low / medium / high from typed patterns, per-class explanations, swaps under load, and the
/// binary-only paths refusing it clearly.
/// </summary>
public sealed class MulticlassPatternScorerTests
{
    private static readonly Lazy<(FeatureExtractor<MovieRating> Extractor, MulticlassQualityModel Small, MulticlassQualityModel Large)> _models = new(Build);

    private static (FeatureExtractor<MovieRating>, MulticlassQualityModel, MulticlassQualityModel) Build()
    {
        var rows = MovieLensThreeClass.Rows;
        var extractor = new FeatureExtractorBuilder<MovieRating>()
            .Categorical("genre", r => r.Genre)
            .Numeric("year", r => r.Year)
            .Numeric("hour", r => r.Hour)
            .Categorical("weekday", r => r.Weekday)
            .Fit(rows);
        var f = extractor.Schema.Count;
        var features = new float[rows.Count * f];
        var labels = new float[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            extractor.Extract(rows[i], features.AsSpan(i * f, f));
            labels[i] = Array.IndexOf(MovieLensThreeClass.Classes, rows[i].Level);
        }

        var data = new Dataset(extractor.Schema, features, labels);
        MulticlassQualityModel Train(int trees, MulticlassCalibrator? calibrator) => new(
            new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = trees, NumberOfLeaves = 15, Seed = 2 }).FitMulticlass(data),
            MovieLensThreeClass.Classes,
            calibrator);

        // The large model is temperature-calibrated, so explanations go through a real calibrator.
        var large = Train(25, null);
        var fitted = MulticlassCalibrationFitter.FitOutOfFold(new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 25, NumberOfLeaves = 15, Seed = 2 }), data, MulticlassCalibrationMethod.Temperature, folds: 3, seed: 1);
        return (extractor, Train(3, null), new MulticlassQualityModel(large.Predictor, MovieLensThreeClass.Classes, fitted.Calibrator));
    }

    private static PatternScorer<MovieRating> Scorer(IQualityModel? model) => new(_models.Value.Extractor, new QualityModelHolder(model));

    private static float[] Expected(MulticlassQualityModel model, MovieRating pattern)
    {
        var p = new float[model.ClassCount];
        model.PredictProbabilities(_models.Value.Extractor.Extract(pattern), p);
        return p;
    }

    [Fact]
    public void PredictClasses_TypedPatternAndBatch_AreTheModelsCalibratedProbabilities()
    {
        var model = _models.Value.Large;
        var scorer = Scorer(model);
        var patterns = MovieLensThreeClass.Rows.Where((_, i) => i % 97 == 0).ToArray();

        var batch = scorer.PredictClasses(patterns);
        Assert.Equal(patterns.Length, batch.Count);
        for (var i = 0; i < patterns.Length; i++)
        {
            var single = scorer.PredictClasses(patterns[i]);
            var expected = Expected(model, patterns[i]);
            Assert.Equal(expected, single.Probabilities);
            Assert.Equal(expected, batch[i].Probabilities);
            Assert.Equal(1.0, single.Probabilities.Sum(), 5);
            Assert.Equal(model.Predict(_models.Value.Extractor.Extract(patterns[i])), single.Top);
            Assert.Equal(expected[2], single["high"]);
            Assert.Equal(MovieLensThreeClass.Classes, single.ClassNames);
        }

        var ex = Assert.Throws<KeyNotFoundException>(() => scorer.PredictClasses(patterns[0])["excellent"]);
        Assert.Contains("low, medium, high", ex.Message, StringComparison.Ordinal);

        // The model learned something: the top class is right more often than the most common class alone.
        var all = scorer.PredictClasses(MovieLensThreeClass.Rows);
        var accuracy = all.Select((p, i) => p.Top.Name == MovieLensThreeClass.Rows[i].Level ? 1.0 : 0.0).Average();
        var majority = MovieLensThreeClass.Rows.GroupBy(r => r.Level).Max(g => g.Count()) / (double)MovieLensThreeClass.Rows.Count;
        Assert.True(accuracy > majority, $"accuracy {accuracy:F3} vs majority share {majority:F3}");
    }

    [Fact]
    public void ExplainClass_EveryClass_AddsUpToItsRawScoreAndProbability()
    {
        var model = _models.Value.Large;
        var scorer = Scorer(model);
        var f = model.Info.Schema.Count;
        foreach (var pattern in MovieLensThreeClass.Rows.Where((_, i) => i % 331 == 0))
        {
            var x = _models.Value.Extractor.Extract(pattern);
            var raw = new double[3];
            model.Predictor.PredictRaw(x, raw);
            var p = Expected(model, pattern);
            for (var c = 0; c < 3; c++)
            {
                var name = MovieLensThreeClass.Classes[c];
                var explanation = scorer.ExplainClass(pattern, name, top: 10);
                Assert.Equal(name, explanation.Outcome);
                Assert.Equal(p[c], explanation.Score);
                Assert.Equal(raw[c], explanation.RawScore, 9);
                Assert.Equal(explanation.RawScore, explanation.Bias + explanation.Contributions.Sum(e => e.Contribution), 9);
                Assert.Equal(explanation.Score - explanation.BaseScore, explanation.Contributions.Sum(e => e.ProbabilityContribution), 5);
                Assert.True(explanation.Contributions.Count <= f);
                if (explanation.Contributions.Count > 0)
                {
                    Assert.Contains(name, explanation.Reason, StringComparison.Ordinal);
                }

                // Named with the pattern's own values.
                if (explanation.Contributions.FirstOrDefault(e => e.Name == "genre") is { Name: not null } genre)
                {
                    Assert.Equal(pattern.Genre, genre.Value);
                }
            }
        }

        var ex = Assert.Throws<ArgumentException>(() => scorer.ExplainClass(MovieLensThreeClass.Rows[0], "excellent"));
        Assert.Contains("low, medium, high", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => scorer.ExplainClass(MovieLensThreeClass.Rows[0], "low", top: 0));
    }

    [Fact]
    public void BinaryAndMulticlassPaths_RefuseTheOtherKindWithClearExceptions()
    {
        var pattern = MovieLensThreeClass.Rows[0];
        var multiclass = Scorer(_models.Value.Small);
        var score = Assert.Throws<NotSupportedException>(() => multiclass.Score(pattern));
        Assert.Contains("PredictClasses", score.Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => multiclass.Score([pattern]));
        Assert.Contains("ExplainClass", Assert.Throws<NotSupportedException>(() => multiclass.Explain(pattern)).Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => ((IQualityModel)_models.Value.Small).Score(_models.Value.Extractor.Extract(pattern)));

        var empty = Scorer(null);
        Assert.Throws<InvalidOperationException>(() => empty.PredictClasses(pattern));
        Assert.Throws<InvalidOperationException>(() => empty.ExplainClass(pattern, "low"));
        Assert.Throws<ArgumentException>(() => multiclass.PredictClasses([pattern, null!]));

        var binary = new PatternScorer<Offer>(OfferStream.Extractor(), new QualityModelHolder(OfferStream.Train(OfferStream.Extractor(), OfferStream.Generate(300, seed: 3), trees: 3)));
        var offer = OfferStream.Generate(1, seed: 4)[0].Pattern;
        Assert.Contains("MulticlassQualityModel", Assert.Throws<NotSupportedException>(() => binary.PredictClasses(offer)).Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => binary.ExplainClass(offer, "low"));
    }

    [Fact]
    public async Task PredictClasses_WhileModelsSwap_EveryBatchIsOneModelsAnswer()
    {
        var (_, small, large) = _models.Value;
        var holder = new QualityModelHolder(small);
        var scorer = new PatternScorer<MovieRating>(_models.Value.Extractor, holder);
        var patterns = MovieLensThreeClass.Rows.Take(40).ToArray();
        var bySmall = patterns.Select(p => Expected(small, p)).ToArray();
        var byLarge = patterns.Select(p => Expected(large, p)).ToArray();
        Assert.NotEqual(bySmall[0], byLarge[0]);

        using var stop = new CancellationTokenSource();
        var swapper = Task.Run(() =>
        {
            var swaps = 0;
            while (!stop.IsCancellationRequested || swaps < 50)
            {
                holder.Swap(swaps++ % 2 == 0 ? large : small);
            }

            return swaps;
        });
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            var seen = new HashSet<bool>();
            for (var round = 0; round < 150; round++)
            {
                var batch = scorer.PredictClasses(patterns);
                var isLarge = batch[0].Probabilities.SequenceEqual(byLarge[0]);
                var expected = isLarge ? byLarge : bySmall;
                for (var i = 0; i < patterns.Length; i++)
                {
                    Assert.Equal(expected[i], batch[i].Probabilities);
                }

                var explained = scorer.ExplainClass(patterns[round % patterns.Length], "high");
                var p = explained.Score;
                Assert.True(p == bySmall[round % patterns.Length][2] || p == byLarge[round % patterns.Length][2], "an explanation is one model's");
                seen.Add(isLarge);
            }

            return seen.Count;
        })).ToArray();
        await Task.WhenAll(readers);
        await stop.CancelAsync();
        Assert.True(await swapper >= 50);
    }

    [Fact]
    public async Task HostedLifecycle_ActiveMulticlassVersion_RefusesToStartNamingTheWayToServeIt()
    {
        using var dir = new TempDirectory();
        using (var manager = new ModelVersionManager(new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = dir.Path })))
        {
            var model = _models.Value.Small;
            var saved = await manager.SaveAsync(model.ToBytes(), new ModelSaveRequest { SchemaHash = model.Info.Schema.Hash, Trainer = "gbdt" });
            await manager.ActivateAsync(saved.Version, "test");
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Production" });
        builder.Services.AddPatternQuality<Offer>()
            .UseFeatureExtractor(OfferStream.Extractor())
            .UseModelStore(new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = dir.Path }))
            .UseDurableFeedbackLog()
            .AddHostedLifecycle();
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<NotSupportedException>(() => host.StartAsync());
        Assert.Contains("multiclass", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PredictClasses", ex.Message, StringComparison.Ordinal);
        Assert.Null(host.Services.GetRequiredService<QualityModelHolder>().Current);
    }
}
