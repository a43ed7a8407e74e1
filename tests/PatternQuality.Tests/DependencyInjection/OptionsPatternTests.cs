using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PatternQuality.ActiveLearning;
using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Features;
using PatternQuality.Hosting;
using PatternQuality.Online;
using PatternQuality.Interop;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Tests.Features;
using PatternQuality.Tests.TestUtils;
using PatternQuality.Tests.Validation.Fakes;
using PatternQuality.Training;
using PatternQuality.Trees;
using PatternQuality.Validation;
using PatternQuality.Versioning;

namespace PatternQuality.Tests.DependencyInjection;

/// <summary>
/// One options pattern: every options family reports all of its problems in one <see cref="OptionsValidationException"/>,
/// and a host (<c>ValidateOnStart</c>) and a constructor used without a container report the same failures, word for word.
/// </summary>
public class OptionsPatternTests
{
    [Fact]
    public async Task TrainerOptions_SeveralBadSettingsNestedToo_HostStartAndConstructorListTheSameFailures()
    {
        static void Break(QualityTrainerOptions o)
        {
            o.TestFraction = 2;
            o.CalibrationFolds = 1;
            o.CrossValidationFolds = 1;
            o.GradientBoosting.NumberOfLeaves = 1;
            o.GradientBoosting.L2Regularization = double.NaN;
            o.RandomForest.MaximumDepth = 31;
            o.Pretraining.CorpusWeight = 2;
        }

        var onStart = await HostStartFailure(s => s.AddPatternQuality<string>().Services.Configure<QualityTrainerOptions>(Break));
        var options = new QualityTrainerOptions();
        Break(options);
        var inConstructor = Assert.Throws<OptionsValidationException>(() => new QualityTrainer(options));

        Assert.Equal(7, inConstructor.Failures.Count());
        Assert.Equal(inConstructor.Failures, onStart.Failures);
        Assert.Contains("The field QualityTrainerOptions.GradientBoosting.L2Regularization must be a finite number, 0 or more.", inConstructor.Message, StringComparison.Ordinal);
        Assert.Contains("The field QualityTrainerOptions.RandomForest.MaximumDepth must be between 1 and 30.", inConstructor.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LearnerOptions_SeveralBadSettings_EveryLearnerEntryPointListsThemAll()
    {
        var boosting = new GradientBoostingOptions { NumberOfTrees = 0, MinimumChildWeight = double.PositiveInfinity, ClassWeighting = (ClassWeighting)7, EarlyStoppingRounds = -1 };
        var fromLearner = Assert.Throws<OptionsValidationException>(() => new GradientBoostingLearner(boosting));
        var fromSession = Assert.Throws<OptionsValidationException>(() => new BoostingSession(boosting));
        var fromOptions = Assert.Throws<OptionsValidationException>(boosting.Validate);

        Assert.Equal(4, fromLearner.Failures.Count());
        Assert.Equal(fromLearner.Failures, fromSession.Failures);
        Assert.Equal(fromLearner.Failures, fromOptions.Failures);
        Assert.Contains("The field GradientBoostingOptions.ClassWeighting must be None or Balanced.", fromLearner.Message, StringComparison.Ordinal);
        Assert.Contains("The field GradientBoostingOptions.EarlyStoppingRounds must be 0 or more.", fromLearner.Message, StringComparison.Ordinal);

        var forest = new RandomForestOptions { MinimumExampleCountPerLeaf = 0, NumberOfThreads = 0 };
        var forestFailures = Assert.Throws<OptionsValidationException>(() => new RandomForestLearner(forest)).Failures;
        Assert.Equal(2, forestFailures.Count());
        Assert.Equal(forestFailures, Assert.Throws<OptionsValidationException>(forest.Validate).Failures);
    }

    [Fact]
    public void ActiveLearningOptions_RangesNestedModelAndBudget_AllReportedAtOnce()
    {
        var options = new ActiveLearningSimulationOptions { StartLabels = 1, Budget = 0, Seeds = 0, Model = { LearningRate = 2 } };

        var ex = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Equal(4, ex.Failures.Count());
        Assert.Contains("The field ActiveLearningSimulationOptions.StartLabels must be 2 or more.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The field ActiveLearningSimulationOptions.Model.LearningRate must be between 0 exclusive and 1.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ActiveLearningSimulationOptions.Budget (0) must be at least ActiveLearningSimulationOptions.StartLabels (1).", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The ActiveLearningSimulationOptions.Model field is required.", Assert.Throws<OptionsValidationException>(new ActiveLearningSimulationOptions { Model = null! }.Validate).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IncrementalLearnerOptions_RangesNestedAndCrossRule_HostStartAndConstructorListTheSameFailures()
    {
        static void Break(IncrementalLearnerOptions o)
        {
            o.NumberOfLeaves = 1;
            o.UpdateBudget = TimeSpan.Zero;
            o.ActiveVersionPollInterval = TimeSpan.FromHours(1);
            o.Collector.Capacity = 50;
            o.Trigger.CountThreshold = 100;
            o.Trigger.MaximumAge = TimeSpan.FromDays(31);
        }

        var onStart = await HostStartFailure(s => s.AddPatternQuality<Suggestion>().UseIncrementalLearning(Break));
        var options = new IncrementalLearnerOptions();
        Break(options);
        var extractor = new FeatureExtractorBuilder<Suggestion>().Numeric("confidence", s => s.Confidence).Build();
        var inConstructor = Assert.Throws<OptionsValidationException>(() => new IncrementalLearner<Suggestion>(extractor, new QualityModelHolder(), options));

        Assert.Equal(5, inConstructor.Failures.Count());
        Assert.Equal(inConstructor.Failures, onStart.Failures);
        Assert.Contains("The field IncrementalLearnerOptions.Trigger.MaximumAge must be between 00:00:00.001 and 30.00:00:00, or Timeout.InfiniteTimeSpan.", inConstructor.Message, StringComparison.Ordinal);
        Assert.Contains("IncrementalLearnerOptions.Trigger.CountThreshold (100) exceeds IncrementalLearnerOptions.Collector.Capacity (50)", inConstructor.Message, StringComparison.Ordinal);

        var missing = Assert.Throws<OptionsValidationException>(() => new IncrementalLearner<Suggestion>(extractor, new QualityModelHolder(), new IncrementalLearnerOptions { Collector = null!, Trigger = null! }));
        Assert.Equal(2, missing.Failures.Count());
        Assert.Contains("The IncrementalLearnerOptions.Collector field is required.", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlineComponentOptions_SeveralBadSettings_AllReportedAtOnceByTheirConstructors()
    {
        var adwin = Assert.Throws<OptionsValidationException>(() => new AdwinDetector(new AdwinDetectorOptions { Delta = 1, CheckInterval = 0 }));
        var pageHinkley = Assert.Throws<OptionsValidationException>(() => new PageHinkleyDetector(new PageHinkleyDetectorOptions { Alpha = 0, Threshold = double.NaN, MinimumInstances = 0 }));
        var regression = Assert.Throws<OptionsValidationException>(() => new OnlineLogisticRegression(new OnlineLogisticRegressionOptions { LearningRate = 0, NumberOfEpochs = 0 }));
        var collector = Assert.Throws<OptionsValidationException>(() => new FeedbackCollector<string>(new FeedbackCollectorOptions { Capacity = 0, DuplicateWindow = -1 }));
        var trigger = Assert.Throws<OptionsValidationException>(() => new UpdateTrigger(new UpdateTriggerOptions { CountThreshold = 0, MaximumAge = TimeSpan.Zero }));

        Assert.Equal([2, 3, 2, 2, 2], new[] { adwin, pageHinkley, regression, collector, trigger }.Select(e => e.Failures.Count()));
        Assert.Contains("The field AdwinDetectorOptions.Delta must be between 0 exclusive and 1 exclusive.", adwin.Message, StringComparison.Ordinal);
        Assert.Contains("The field PageHinkleyDetectorOptions.Threshold must be between 0 exclusive and 1000000000.", pageHinkley.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromotionPolicyOptions_SeveralBadSettings_HostStartAndConstructorListTheSameFailures()
    {
        static void Break(PromotionPolicyOptions o)
        {
            o.AucTolerance = double.NaN;
            o.BootstrapIterations = 10;
            o.ConfidenceLevel = 1;
            o.Method = (AucComparisonMethod)9;
        }

        var onStart = await HostStartFailure(s => s.AddPatternQuality<string>().Services.Configure<PromotionPolicyOptions>(Break));
        var options = new PromotionPolicyOptions();
        Break(options);
        var inConstructor = Assert.Throws<OptionsValidationException>(() => new DefaultPromotionPolicy(options));

        Assert.Equal(4, inConstructor.Failures.Count());
        Assert.Equal(inConstructor.Failures, onStart.Failures);
        Assert.Contains("The field PromotionPolicyOptions.ConfidenceLevel must be between 0.5 and 0.9999.", inConstructor.Message, StringComparison.Ordinal);
        Assert.Contains("The field PromotionPolicyOptions.Method must be DeLong or PairedBootstrap.", inConstructor.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StoreAndDataOptions_SeveralBadSettings_AllReportedAtOnceByTheirEntryPoints()
    {
        var store = Assert.Throws<OptionsValidationException>(() => new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = " ", LockTimeout = TimeSpan.FromHours(1) }));
        using var csv = new TempFile("a,y\n1,1\n");
        var csvOptions = new CsvLoadOptions { LabelColumn = "a", TimeColumn = "a", MinCategoryCount = 0, Delimiter = '\n' };
        var csvLoad = Assert.Throws<OptionsValidationException>(() => CsvDatasetLoader.Load(csv.Path, csvOptions));
        var feedback = Assert.Throws<OptionsValidationException>(() => new PatternQuality.Feedback.CsvFeedbackSource(csv.Path, csvOptions));
        var svm = Assert.Throws<OptionsValidationException>(() => SvmLightLoader.Load(csv.Path, new SvmLightLoadOptions { FeatureCount = 0, LabelThreshold = double.PositiveInfinity }));

        Assert.Equal([2, 3, 3, 2], new[] { store, csvLoad, feedback, svm }.Select(e => e.Failures.Count()));
        Assert.Equal(csvLoad.Failures, feedback.Failures);
        Assert.Equal(csvLoad.Failures, Assert.Throws<OptionsValidationException>(csvOptions.Validate).Failures);
        Assert.Contains("The field FileSystemModelStoreOptions.Directory must be set to the store's directory.", store.Message, StringComparison.Ordinal);
        Assert.Contains("The field SvmLightLoadOptions.LabelThreshold must be a finite number.", svm.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidationAndExportOptions_SeveralBadSettings_AllReportedAtOnceByTheirEntryPoints()
    {
        var data = PatternQuality.Tests.Trees.SyntheticData.Binary(40);
        var cv = Assert.Throws<OptionsValidationException>(() => CrossValidator.Run(new FunctionLearner(_ => 0.5f), data, new CrossValidationOptions { Folds = 1, Threshold = -0.5 }));
        var permutation = Assert.Throws<OptionsValidationException>(() => PermutationImportance.Compute(
            new FunctionPredictor(data.Schema, _ => 0.5f), data, new PermutationImportanceOptions { Repeats = 0, Metric = (EvaluationMetric)99 }));
        var onnx = Assert.Throws<OptionsValidationException>(new OnnxExportOptions { InputName = "", OutputName = "  " }.Validate);

        Assert.Equal([2, 2, 2], new[] { cv, permutation, onnx }.Select(e => e.Failures.Count()));
        Assert.Contains("The field CrossValidationOptions.Threshold must be between 0 and 1.", cv.Message, StringComparison.Ordinal);
        Assert.Contains("The field PermutationImportanceOptions.Metric must be Auc, PrAuc, LogLoss, Brier, Accuracy, F1 or Ece.", permutation.Message, StringComparison.Ordinal);
        Assert.Contains("The OnnxExportOptions.OutputName field is required.", onnx.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostingOptions_SeveralBadSettings_HostStartAndConstructorsListTheSameFailures()
    {
        static void Break(PatternQualityHostingOptions o)
        {
            o.MinimumFeedbackForFirstTraining = 5;
            o.RetrainSchedule = "every night";
            o.MaximumModelAge = TimeSpan.FromSeconds(1);
            o.ActiveVersionPollInterval = TimeSpan.FromHours(1);
            o.FeedbackLogFileName = "logs/feedback.log";
            o.DatabasePath = ":memory:";
        }

        var onStart = await HostStartFailure(s => s.AddPatternQuality<Suggestion>().AddHostedLifecycle(Break));
        var options = new PatternQualityHostingOptions();
        Break(options);
        var inConstructor = Assert.Throws<OptionsValidationException>(() => new PatternQualityHostedService<Suggestion>(new ServiceCollection().BuildServiceProvider(), Options.Create(options), new PatternQualityHostState()));
        var inHealthCheck = Assert.Throws<OptionsValidationException>(() => new PatternQualityHealthCheck(new QualityModelHolder(), new PatternQualityHostState(), Options.Create(options)));

        Assert.Equal(6, inConstructor.Failures.Count());
        Assert.Equal(inConstructor.Failures, onStart.Failures);
        Assert.Equal(inConstructor.Failures, inHealthCheck.Failures);
        Assert.Equal(inConstructor.Failures, Assert.Throws<OptionsValidationException>(options.Validate).Failures);
        Assert.Contains("The field PatternQualityHostingOptions.MinimumFeedbackForFirstTraining must be between 10 and 100000000.", inConstructor.Message, StringComparison.Ordinal);
        Assert.Contains("The field PatternQualityHostingOptions.RetrainSchedule must be a cron expression of five fields", inConstructor.Message, StringComparison.Ordinal);
        Assert.Contains("The field PatternQualityHostingOptions.ActiveVersionPollInterval must be between", inConstructor.Message, StringComparison.Ordinal);
        new PatternQualityHostingOptions { RetrainSchedule = "0 3 * * *", DatabasePath = "data/quality.db" }.Validate();
    }

    private static async Task<OptionsValidationException> HostStartFailure(Action<IServiceCollection> register)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        register(builder.Services);
        using var host = builder.Build();
        return await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
    }
}
