using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PatternQuality.Cli.Demo;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Online;
using PatternQuality.Scoring;
using PatternQuality.Training;

namespace PatternQuality.Tests.DependencyInjection;

public class PatternQualityBuilderExtensionsTests
{
    private static async Task<(FeatureExtractor<SimulatedPattern> Extractor, InMemoryFeedbackSource<SimulatedPattern> Source, QualityModel Model, FeedbackSimulator Simulator)> TrainAsync()
    {
        var simulator = new FeedbackSimulator(seed: 11, users: 30, days: 10, feedbackPerDay: 150, new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero));
        var source = new InMemoryFeedbackSource<SimulatedPattern>();
        for (var day = 0; day < 5; day++)
        {
            foreach (var record in simulator.SimulateDay(day))
            {
                source.Add(record);
            }
        }

        var extractor = new FeatureExtractorBuilder<SimulatedPattern>()
            .Categorical("type", s => s.PatternType, FeedbackSimulator.PatternTypes)
            .Numeric("confidence", s => s.Confidence)
            .History("user", s => s.UserId)
            .Build();
        var result = await new QualityTrainer(new QualityTrainerOptions { GradientBoosting = { NumberOfTrees = 20 } }).TrainAsync(source, extractor.WithHistory(new HistoryState()));
        return (extractor.WithHistory(result.Model.History!.Clone()), source, result.Model, simulator);
    }

    [Fact]
    public async Task UseIncrementalLearning_ModelPublished_LearnerUpdatesTheHolderAndCanRetrain()
    {
        var (extractor, source, model, simulator) = await TrainAsync();
        var services = new ServiceCollection();
        services.AddPatternQuality<SimulatedPattern>()
            .UseFeatureExtractor(extractor)
            .UseFeedbackSource(source)
            .UseIncrementalLearning(o => o.NumberOfTreesPerUpdate = 2);
        using var sp = services.BuildServiceProvider();
        var holder = sp.GetRequiredService<QualityModelHolder>();
        holder.Swap(model);

        using var learner = sp.GetRequiredService<IncrementalLearner<SimulatedPattern>>();
        Assert.Same(learner, sp.GetRequiredService<IncrementalLearner<SimulatedPattern>>());
        Assert.NotNull(learner.FullRetrain);
        foreach (var record in simulator.SimulateDay(5).Take(300))
        {
            await learner.AddAsync(record);
        }

        var update = await learner.UpdateAsync();
        Assert.True(update.BatchSize > 0);
        Assert.True(update.Watermark.Sequence > 0);
        var retrained = await learner.FullRetrain!(CancellationToken.None);
        Assert.Equal(model.Info.Schema.Hash, retrained.Info.Schema.Hash);
    }

    [Fact]
    public void UseIncrementalLearning_ExtractorIsNotAFeatureExtractor_ExplainsWhy()
    {
        var services = new ServiceCollection();
        services.AddPatternQuality<SimulatedPattern>()
            .UseFeatureExtractor(new OpaqueExtractor())
            .UseIncrementalLearning();
        using var sp = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => sp.GetRequiredService<IncrementalLearner<SimulatedPattern>>());
        Assert.Contains("FeatureExtractorBuilder", ex.Message);
    }

    [Fact]
    public async Task UseIncrementalLearning_InvalidOptions_HostFailsOnStart()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddPatternQuality<SimulatedPattern>().UseIncrementalLearning(o => o.ReplayWindowSize = -5);
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(nameof(IncrementalLearnerOptions.ReplayWindowSize), ex.Message);
    }

    [Fact]
    public async Task Dispose_Twice_DoesNothingTheSecondTime()
    {
        var (extractor, _, model, _) = await TrainAsync();
        var learner = new IncrementalLearner<SimulatedPattern>(extractor, new QualityModelHolder(model));
        learner.Dispose();
        learner.Dispose();
    }

    /// <summary>A host's own extractor that is not a <see cref="FeatureExtractor{TPattern}"/>.</summary>
    private sealed class OpaqueExtractor : IFeatureExtractor<SimulatedPattern>
    {
        public FeatureSchema Schema { get; } = new([new FeatureDefinition("confidence", FeatureKind.Numeric)]);

        public void Extract(SimulatedPattern pattern, Span<float> destination) => destination[0] = (float)pattern.Confidence;
    }
}
