using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;
using PatternQuality.Calibration;
using PatternQuality.Cli.Demo;
using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.MLNet;
using PatternQuality.Online;
using PatternQuality.Scoring;
using PatternQuality.Training;
using PatternQuality.Trees;
using PatternQuality.Tests.Trees;

namespace PatternQuality.Tests.MLNet;

/// <summary>The ML.NET learners behind PatternQuality's contracts: the trainer, DI, the incremental learner.</summary>
public sealed class MLNetLearnerTests
{
    [Fact]
    public async Task FastTree_ThroughQualityTrainer_GivesMLNetsOwnAuc()
    {
        var options = new FastTreeLearnerOptions();
        var context = new MLContext(options.Seed);
        var direct = context.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options { Seed = options.Seed })
            .Fit(MLNetReference.View(context, TestData.BinaryTrain));
        var (_, probability) = MLNetReference.Transform(context, direct, TestData.BinaryTest);
        var expected = BinaryMetrics.Auc(TestData.BinaryTest.Labels.Span, probability);

        var trainer = new QualityTrainer(new QualityTrainerOptions { Learner = new FastTreeLearner(options), Calibration = CalibrationMethod.None });
        var result = await trainer.TrainAsync(TestData.BinaryTrain, TestData.BinaryTest);

        Assert.Equal("fasttree", result.Report.Trainer);
        Assert.Equal(expected, result.Report.Metrics[MetricNames.Auc], 0.0005);
        Assert.IsType<TreeEnsembleModel>(result.Model.Predictor);
    }

    [Fact]
    public async Task FastForestAndLightGbm_CalibratedAndCrossValidated_ThroughQualityTrainer()
    {
        foreach (var learner in new PatternQuality.Learning.ILearner[]
        {
            new FastForestLearner(new FastForestLearnerOptions { NumberOfTrees = 20, NumberOfThreads = 1 }),
            new LightGbmLearner(new LightGbmLearnerOptions { NumberOfIterations = 30, NumberOfLeaves = 15, LearningRate = 0.1, MinimumExampleCountPerLeaf = 20, NumberOfThreads = 1 }),
        })
        {
            var trainer = new QualityTrainer(new QualityTrainerOptions { Learner = learner, Calibration = CalibrationMethod.Platt, CalibrationFolds = 3, CrossValidationFolds = 3 });
            var result = await trainer.TrainAsync(TestData.BinaryTrain, TestData.BinaryTest);

            Assert.Equal(learner.Name, result.Report.Trainer);
            Assert.InRange(result.Report.Metrics[MetricNames.Auc], 0.70, 0.95);
            Assert.NotNull(result.Report.CrossValidation);
            Assert.Equal(3, result.Report.CrossValidation!.Folds.Count);
        }
    }

    [Fact]
    public async Task UseFastTree_InARealHost_TrainsWithMLNetAndTheIncrementalLearnerUpdatesTheModel()
    {
        var simulator = new FeedbackSimulator(seed: 11, users: 30, days: 10, feedbackPerDay: 150, new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero));
        var source = new InMemoryFeedbackSource<SimulatedPattern>();
        foreach (var record in Enumerable.Range(0, 5).SelectMany(simulator.SimulateDay))
        {
            source.Add(record);
        }

        var extractor = new FeatureExtractorBuilder<SimulatedPattern>()
            .Categorical("type", s => s.PatternType, FeedbackSimulator.PatternTypes)
            .Numeric("confidence", s => s.Confidence)
            .History("user", s => s.UserId)
            .Build();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddPatternQuality<SimulatedPattern>()
            .UseFeatureExtractor(extractor)
            .UseFeedbackSource(source)
            .UseFastTree(o => (o.NumberOfTrees, o.NumberOfThreads) = (20, 1))
            .UseIncrementalLearning(o => o.NumberOfTreesPerUpdate = 2);
        using var host = builder.Build();
        await host.StartAsync();

        var result = await host.Services.GetRequiredService<QualityTrainer>().TrainAsync(source, extractor.WithHistory(new HistoryState()));
        Assert.Equal("fasttree", result.Report.Trainer);
        var holder = host.Services.GetRequiredService<QualityModelHolder>();
        holder.Swap(result.Model);
        var trees = ((TreeEnsembleModel)result.Model.Predictor).TreeCount;

        using var learner = host.Services.GetRequiredService<IncrementalLearner<SimulatedPattern>>();
        foreach (var record in simulator.SimulateDay(5).Take(300))
        {
            await learner.AddAsync(record);
        }

        var update = await learner.UpdateAsync();
        Assert.True(update.BatchSize > 0);
        Assert.True(update.TreeCount >= trees, $"{update.TreeCount} trees after the update, {trees} before");
        Assert.NotSame(result.Model, holder.Current);
        await host.StopAsync();
    }

    [Fact]
    public async Task UseLightGbm_SeveralInvalidOptions_HostStartAndConstructorListTheSameFailures()
    {
        static void Break(LightGbmLearnerOptions o)
        {
            o.NumberOfIterations = 0;
            o.LearningRate = 1.5;
            o.NumberOfLeaves = 1;
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddPatternQuality<SimulatedPattern>().UseLightGbm(Break);
        using var host = builder.Build();
        var onStart = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        var options = new LightGbmLearnerOptions();
        Break(options);
        var inConstructor = Assert.Throws<OptionsValidationException>(() => new LightGbmLearner(options));

        Assert.Equal(3, inConstructor.Failures.Count());
        Assert.Equal(inConstructor.Failures, onStart.Failures);
        Assert.Contains("The field LightGbmLearnerOptions.NumberOfIterations must be between 1 and 100000.", inConstructor.Message, StringComparison.Ordinal);
        Assert.Contains("The field LightGbmLearnerOptions.LearningRate must be between 0 exclusive and 1.", inConstructor.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseFastForest_RegistersTheLearner()
    {
        var services = new ServiceCollection();
        services.AddPatternQuality<SimulatedPattern>().UseFastForest(o => o.NumberOfTrees = 7);
        using var sp = services.BuildServiceProvider();

        var learner = Assert.IsType<FastForestLearner>(sp.GetRequiredService<IOptions<QualityTrainerOptions>>().Value.Learner);

        Assert.Equal(7, learner.Options.NumberOfTrees);
        Assert.Throws<ArgumentNullException>(() => MLNetPatternQualityBuilderExtensions.UseFastTree<SimulatedPattern>(null!));
    }

    [Fact]
    public void Options_OutOfRange_EveryProblemNamed()
    {
        var fastTree = Assert.Throws<OptionsValidationException>(() => new FastTreeLearner(new FastTreeLearnerOptions { NumberOfTrees = 0, LearningRate = 0, NumberOfThreads = 0 }));
        Assert.Equal(3, fastTree.Failures.Count());
        var forest = Assert.Throws<OptionsValidationException>(() => new FastForestLearner(new FastForestLearnerOptions { FeatureFraction = 0, BaggingExampleFraction = 2, NumberOfLeaves = 1 }));
        Assert.Equal(3, forest.Failures.Count());
        var lightGbm = Assert.Throws<OptionsValidationException>(() => new LightGbmLearner(new LightGbmLearnerOptions { LearningRate = double.NaN, MinimumExampleCountPerLeaf = 0 }));
        Assert.Equal(2, lightGbm.Failures.Count());
    }

    [Fact]
    public void Fit_BadData_ClearExceptions()
    {
        var schema = new FeatureSchema([new FeatureDefinition("x", FeatureKind.Numeric)]);
        var learner = new FastTreeLearner();

        Assert.Throws<ArgumentNullException>(() => learner.Fit(null!));
        Assert.Throws<ArgumentException>(() => learner.Fit(new Dataset(schema, Array.Empty<float>(), Array.Empty<float>())));
        Assert.Throws<ArgumentException>(() => learner.Fit(new Dataset(schema, new float[] { 1, 2 }, new float[] { 1, 1 })));
        Assert.Throws<ArgumentException>(() => learner.Fit(new Dataset(schema, new float[] { 1, 2 }, new float[] { 0, 2 })));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => learner.Fit(TestData.BinaryTrain, cancellationToken: cts.Token));
    }
}
