using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using PatternQuality.Evaluation;
using PatternQuality.MLNet;
using PatternQuality.Trees;
using PatternQuality.Tests.Trees;

namespace PatternQuality.Tests.MLNet;

/// <summary>The converted model scores what ML.NET scores, on LightGBM's binary example test set.</summary>
public sealed class MLNetTreeConverterTests
{
    [Fact]
    public void FastTree_Converted_ScoresEqualMLNetRawAndProbability()
    {
        var context = new MLContext(1);
        var trainer = context.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            NumberOfTrees = 100, NumberOfLeaves = 31, LearningRate = 0.1, MinimumExampleCountPerLeaf = 20, NumberOfThreads = 2,
        });
        var fitted = trainer.Fit(MLNetReference.View(context, TestData.BinaryTrain));
        var model = MLNetTreeConverter.Convert(fitted.Model.SubModel, fitted.Model.Calibrator, TestData.BinaryTrain.Schema, 0.1);

        AssertSameScores(context, fitted, fitted.Model.Calibrator.Slope, fitted.Model.Calibrator.Offset, model);
        Assert.Equal(100, model.TreeCount);
    }

    [Fact]
    public void LightGbm_Converted_ScoresEqualMLNetRawAndProbability()
    {
        var context = new MLContext(1);
        var trainer = context.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfIterations = 100, NumberOfLeaves = 31, LearningRate = 0.1, MinimumExampleCountPerLeaf = 20, NumberOfThreads = 2, Deterministic = true,
        });
        var fitted = trainer.Fit(MLNetReference.View(context, TestData.BinaryTrain));
        var model = MLNetTreeConverter.Convert(fitted.Model.SubModel, fitted.Model.Calibrator, TestData.BinaryTrain.Schema, 0.1);

        AssertSameScores(context, fitted, fitted.Model.Calibrator.Slope, fitted.Model.Calibrator.Offset, model);
    }

    [Fact]
    public void LightGbm_CouponWithInfiniteThresholds_ConvertedScoresEqualMLNet()
    {
        // On coupon LightGBM writes splits that send every value left with a threshold of 1e300, which ML.NET narrows
        // to +Infinity, and test rows have missing values, which ML.NET routes through a per-node replacement value (both
        // found by the `engines` benchmark: the converter once rejected the model, then sent missing values the wrong way).
        var (train, test) = TestData.Coupon;
        var context = new MLContext(1);
        var fitted = context.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfIterations = 100, NumberOfLeaves = 31, LearningRate = 0.1, MinimumExampleCountPerLeaf = 20, NumberOfThreads = 2, Deterministic = true,
        }).Fit(MLNetReference.View(context, train));
        var model = MLNetTreeConverter.Convert(fitted.Model.SubModel, fitted.Model.Calibrator, train.Schema, 0.1);

        var (_, probability) = MLNetReference.Transform(context, fitted, test);
        var max = Enumerable.Range(0, test.RowCount).Max(r => Math.Abs(model.PredictProbability(test.GetRow(r)) - probability[r]));
        Assert.True(max <= 1e-6, $"max probability difference {max:E2}");
    }

    [Fact]
    public void FastTree_MissingValues_ConvertedRoutesThemAsMLNetDoes()
    {
        var (train, test) = TestData.Coupon;
        Assert.Contains(test.Features.ToArray(), float.IsNaN);
        var context = new MLContext(1);
        var fitted = context.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options { NumberOfTrees = 50, NumberOfThreads = 1 })
            .Fit(MLNetReference.View(context, train));
        var model = MLNetTreeConverter.Convert(fitted.Model.SubModel, fitted.Model.Calibrator, train.Schema);

        var (_, probability) = MLNetReference.Transform(context, fitted, test);
        var max = Enumerable.Range(0, test.RowCount).Max(r => Math.Abs(model.PredictProbability(test.GetRow(r)) - probability[r]));
        Assert.True(max <= 1e-6, $"max probability difference {max:E2}");
    }

    [Fact]
    public void Converted_SavedAndLoaded_ScoresBitForBit()
    {
        var model = (TreeEnsembleModel)new FastTreeLearner(new FastTreeLearnerOptions { NumberOfTrees = 20, NumberOfThreads = 1 }).Fit(TestData.BinaryTrain);

        var loaded = TreeEnsembleModel.Load(model.ToBytes());

        var test = TestData.BinaryTest;
        for (var r = 0; r < test.RowCount; r++)
        {
            Assert.Equal(model.PredictRaw(test.GetRow(r)), loaded.PredictRaw(test.GetRow(r)));
        }

        Assert.Equal("ML.NET", loaded.TrainingOptions["Source"]);
    }

    [Fact]
    public void Converted_ContinuedTrainingAndLeafRefit_Work()
    {
        var train = TestData.BinaryTrain;
        var test = TestData.BinaryTest;
        var converted = (TreeEnsembleModel)new FastTreeLearner(new FastTreeLearnerOptions { NumberOfTrees = 30, NumberOfThreads = 1 }).Fit(train);
        var before = Auc(converted, test);

        var continued = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfThreads = 1, LearningRate = 0.05 }).ContinueTraining(converted, train, 20);
        var refit = converted.RefitLeaves(train, 0.5);

        Assert.Equal(50, continued.TreeCount);
        Assert.Equal(30, refit.TreeCount);
        Assert.True(Auc(continued, test) > before - 0.01, $"continued {Auc(continued, test):F4} vs {before:F4}");
        Assert.True(Auc(refit, test) > before - 0.02, $"refit {Auc(refit, test):F4} vs {before:F4}");
        Assert.NotEqual(converted.PredictRaw(test.GetRow(0)), refit.PredictRaw(test.GetRow(0)));
    }

    [Fact]
    public void Convert_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => MLNetTreeConverter.Convert((FastTreeBinaryModelParameters)null!, null, TestData.BinaryTrain.Schema));
        Assert.Throws<ArgumentNullException>(() => MLNetTreeConverter.Convert((FastForestBinaryModelParameters)null!, null, TestData.BinaryTrain.Schema));
    }

    internal static double Auc(TreeEnsembleModel model, PatternQuality.Data.Dataset data)
    {
        var p = new float[data.RowCount];
        model.PredictProbability(data.Features.Span, p);
        return BinaryMetrics.Auc(data.Labels.Span, p);
    }

    private static void AssertSameScores(MLContext context, ITransformer fitted, double slope, double offset, TreeEnsembleModel model)
    {
        var test = TestData.BinaryTest;
        var (score, probability) = MLNetReference.Transform(context, fitted, test);
        double maxRaw = 0, maxProbability = 0;
        for (var r = 0; r < test.RowCount; r++)
        {
            // The converted margin is ML.NET's log-odds: -(slope * score + offset).
            var margin = -((slope * score[r]) + offset);
            maxRaw = Math.Max(maxRaw, Math.Abs(model.PredictRaw(test.GetRow(r)) - margin));
            maxProbability = Math.Max(maxProbability, Math.Abs(model.PredictProbability(test.GetRow(r)) - probability[r]));
        }

        var batch = new float[test.RowCount];
        model.PredictProbability(test.Features.Span, batch);
        var maxBatch = batch.Select((p, r) => Math.Abs(p - probability[r])).Max();
        Assert.True(maxRaw <= 1e-6, $"max raw difference {maxRaw:E2}");
        Assert.True(maxProbability <= 1e-6, $"max probability difference {maxProbability:E2}");
        Assert.True(maxBatch <= 1e-6, $"max batch probability difference {maxBatch:E2}");
    }
}
