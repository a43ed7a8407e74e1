using Microsoft.Extensions.Options;
using PatternQuality.Calibration;
using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Features;
using PatternQuality.Scoring;
using PatternQuality.Serialization;
using PatternQuality.Storage;
using PatternQuality.Tests.Storage;
using PatternQuality.Tests.TestUtils;
using PatternQuality.Training;
using PatternQuality.Versioning;

namespace PatternQuality.Tests.Training;

/// <summary>
/// Multiclass end to end on real data: the in-vehicle coupon survey's trip destination (Home / No Urgent Place / Work)
/// from the rest of each row, through the CSV loader, the trainer, the model file, a file store and the gate.
/// </summary>
public sealed class MulticlassTrainingTests : IDisposable
{
    private static readonly Lazy<CsvLoadResult> Coupon = new(() => CsvDatasetLoader.Load(SharedData.Coupon, DestinationOptions()));
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CsvLoadOptions DestinationOptions()
    {
        var options = new CsvLoadOptions { LabelColumn = "destination", Multiclass = true };
        options.Drop.Add("direction_opp");
        return options;
    }

    private static QualityTrainer Trainer(int trees, MulticlassCalibrationMethod calibration = MulticlassCalibrationMethod.Auto) => new(new QualityTrainerOptions
    {
        GradientBoosting = { NumberOfTrees = trees, NumberOfLeaves = 15, Seed = 3 },
        MulticlassCalibration = calibration,
        CalibrationFolds = 3,
        Seed = 5,
    });

    [Fact]
    public void Load_ClassNameLabel_NumbersClassesInOrdinalOrder()
    {
        var load = Coupon.Value;
        Assert.Equal(["Home", "No Urgent Place", "Work"], load.ClassNames);
        var counts = new int[3];
        foreach (var y in load.Dataset.Labels.Span)
        {
            counts[(int)y]++;
        }

        Assert.All(counts, c => Assert.True(c > 2000, $"every destination is common in the survey ({string.Join(", ", counts)})"));
        Assert.Equal(load.Dataset.RowCount, counts.Sum());
        Assert.DoesNotContain(load.Dataset.Schema.Features, f => f.Name == "destination");
    }

    [Fact]
    public void Load_GivenClassNames_KeepsTheirOrderAndRejectsOthers()
    {
        using var file = new TempFile("x,level\n1,low\n2,high\n3,medium\n4,high\n");
        var options = new CsvLoadOptions { LabelColumn = "level", Multiclass = true, ClassNames = { "low", "medium", "high" } };
        var load = CsvDatasetLoader.Load(file.Path, options);
        Assert.Equal(["low", "medium", "high"], load.ClassNames);
        Assert.Equal([0f, 2f, 1f, 2f], load.Dataset.Labels.ToArray());

        var narrow = new CsvLoadOptions { LabelColumn = "level", Multiclass = true, ClassNames = { "low", "high" } };
        var ex = Assert.Throws<DataFormatException>(() => CsvDatasetLoader.Load(file.Path, narrow));
        Assert.Contains("medium", ex.Message, StringComparison.Ordinal);

        using var ratings = new TempFile("x,stars\n1,10\n2,2\n3,1\n");
        Assert.Equal(["1", "2", "10"], CsvDatasetLoader.Load(ratings.Path, new CsvLoadOptions { LabelColumn = "stars", Multiclass = true }).ClassNames);
    }

    [Fact]
    public void Options_MulticlassWithHistoryOrThreshold_ListsEveryProblem()
    {
        var options = new CsvLoadOptions { LabelColumn = "y", Multiclass = true, Threshold = 3, HistoryKeys = { "user" } };
        var ex = Assert.Throws<OptionsValidationException>(options.Validate);
        Assert.Contains(ex.Failures, f => f.Contains(nameof(CsvLoadOptions.HistoryKeys), StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains(nameof(CsvLoadOptions.Threshold), StringComparison.Ordinal));
        var names = new CsvLoadOptions { LabelColumn = "y", ClassNames = { "a" } };
        Assert.Equal(2, Assert.Throws<OptionsValidationException>(names.Validate).Failures.Count());
    }

    [Fact]
    public async Task TrainMulticlassAsync_CouponDestination_LearnsCalibratedClassProbabilities()
    {
        var load = Coupon.Value;
        var result = await Trainer(40).TrainMulticlassAsync(load);

        Assert.Equal(3, result.Model.ClassCount);
        Assert.Equal(load.Dataset.RowCount, result.TrainRows + result.TestRows);
        var labels = result.Test.Labels.Span;
        var prior = new double[3];
        foreach (var y in labels)
        {
            prior[(int)y] += 1.0 / labels.Length;
        }

        // The destination follows from time of day, passenger and coupon context: far better than the class shares.
        var priorLoss = -prior.Sum(p => p * Math.Log(p));
        Assert.True(result.Metrics[MetricNames.LogLoss] < 0.75 * priorLoss, $"log loss {result.Metrics[MetricNames.LogLoss]:F4} vs prior {priorLoss:F4}");
        Assert.True(result.Metrics[MetricNames.Accuracy] > prior.Max() + 0.15, $"accuracy {result.Metrics[MetricNames.Accuracy]:F4} vs majority {prior.Max():F4}");
        Assert.InRange(result.Metrics[MetricNames.MacroF1], 0.5, 1.0);

        // The reported metrics are the library's metrics of the holdout probabilities, and those are the model's.
        var p = result.HoldoutProbabilities.ToArray();
        Assert.Equal(result.Metrics[MetricNames.LogLoss], MulticlassMetrics.LogLoss(labels, p, 3), 12);
        var again = new float[p.Length];
        result.Model.PredictProbabilities(result.Test.Features.Span, again);
        Assert.Equal(p, again);
        for (var i = 0; i < labels.Length; i++)
        {
            Assert.Equal(1.0, p[(i * 3)..((i * 3) + 3)].Sum(), 4);
        }

        // Calibration was chosen out of fold among none / temperature / vector, each scored.
        var calibration = Assert.IsType<MulticlassCalibrationResult>(result.Calibration);
        Assert.Equal(3, calibration.Candidates.Count);
        Assert.Contains(calibration.Calibrator.Method, new[] { MulticlassCalibrationMethod.None, MulticlassCalibrationMethod.Temperature, MulticlassCalibrationMethod.Vector });
        Assert.All(calibration.Candidates.Values, loss => Assert.InRange(loss, 0.0, priorLoss));
        Assert.Equal(3, result.PerClass.Count);
        Assert.Equal(result.TestRows, result.Confusion.Sum(row => row.Sum()));

        var top = result.Model.Predict(result.Test.GetRow(0));
        Assert.Equal(result.Model.ClassNames[top.Class], top.Name);
        Assert.Equal(p[..3].Max(), top.Confidence);

        // Per-class TreeSHAP: each class's block sums to its raw score.
        var f = result.Model.Info.Schema.Count;
        var contributions = new double[3 * (f + 1)];
        result.Model.PredictContributions(result.Test.GetRow(0), contributions);
        var raw = new double[3];
        result.Model.Predictor.PredictRaw(result.Test.GetRow(0), raw);
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(raw[c], contributions.AsSpan(c * (f + 1), f + 1).ToArray().Sum(), 9);
        }
    }

    [Fact]
    public async Task TrainMulticlassAsync_ForestOrBinaryLoad_RefusedWithClearErrors()
    {
        var forest = new QualityTrainer(new QualityTrainerOptions { Trainer = TrainerKind.Forest });
        await Assert.ThrowsAsync<NotSupportedException>(() => forest.TrainMulticlassAsync(Coupon.Value));
        var binary = CsvDatasetLoader.Load(SharedData.Coupon, new CsvLoadOptions { LabelColumn = "Y" });
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Trainer(5).TrainMulticlassAsync(binary));
        Assert.Contains(nameof(CsvLoadOptions.Multiclass), ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => Trainer(5).TrainMulticlassAsync(Coupon.Value.Dataset, ["a", "b"]));
    }

    [Fact]
    public async Task ModelFile_RoundTrip_ScoresAlikeAndRejectsBadBytes()
    {
        var result = await Trainer(15).TrainMulticlassAsync(Coupon.Value);
        var bytes = result.Model.ToBytes();
        var loaded = MulticlassQualityModel.Load(bytes);
        Assert.Equal(result.Model.ClassNames, loaded.ClassNames);
        Assert.Equal(result.Model.Calibrator.Scales, loaded.Calibrator.Scales);
        Assert.Equal(result.Model.Info.Metrics, loaded.Info.Metrics);
        Assert.True(MulticlassQualityModel.IsMulticlass(bytes));

        // Raw CSV rows map through the saved columns exactly as in training.
        var extractor = loaded.CreateRowExtractor();
        var table = Coupon.Value.Table;
        var row = new float[loaded.Info.Schema.Count];
        for (var i = 0; i < 200; i++)
        {
            extractor.Extract(table.GetRow(i), row);
            Assert.Equal(Coupon.Value.Dataset.GetRow(i).ToArray(), row);
            var a = new float[3];
            var b = new float[3];
            result.Model.PredictProbabilities(row, a);
            loaded.PredictProbabilities(row, b);
            Assert.Equal(a, b);
        }

        var wrongKind = Assert.Throws<ModelFormatException>(() => QualityModel.Load(bytes));
        Assert.Contains(nameof(MulticlassQualityModel), wrongKind.Message, StringComparison.Ordinal);
        for (var cut = 0; cut < bytes.Length; cut += Math.Max(1, bytes.Length / 50))
        {
            Assert.Throws<ModelFormatException>(() => MulticlassQualityModel.Load(bytes[..cut]));
        }

        var flipped = (byte[])bytes.Clone();
        flipped[bytes.Length / 2] ^= 0x40;
        Assert.Throws<ModelFormatException>(() => MulticlassQualityModel.Load(flipped));
    }

    [Fact]
    public async Task ProposeAsync_Multiclass_GatesOnLogLossAcrossARestart()
    {
        var load = Coupon.Value;
        var good = await Trainer(40).TrainMulticlassAsync(load);
        var weak = await Trainer(2, MulticlassCalibrationMethod.None).TrainMulticlassAsync(load);
        var options = new FileSystemModelStoreOptions { Directory = _dir.Path };
        string first;
        using (var versions = new ModelVersionManager(new FileSystemModelStore(options)))
        {
            var proposal = await versions.ProposeAsync(good);
            Assert.True(proposal.Promoted, proposal.Decision.Reason);
            first = proposal.Version.Version;
            Assert.Equal("multiclass", proposal.Version.Properties["pq.objective"]);
            Assert.Equal(good.Metrics[MetricNames.MacroF1], proposal.Version.Metrics[MetricNames.MacroF1]);
        }

        // A new process on the same store: the weak candidate is judged on its own holdout against the stored champion.
        using (var versions = new ModelVersionManager(new FileSystemModelStore(options)))
        {
            var proposal = await versions.ProposeAsync(weak);
            Assert.False(proposal.Promoted);
            Assert.Equal(first, proposal.PreviousActiveVersion);
            Assert.Contains("log loss", proposal.Decision.Reason, StringComparison.Ordinal);
            Assert.StartsWith("Rejected", proposal.Decision.Reason, StringComparison.Ordinal);

            var active = MulticlassQualityModel.Load((await versions.LoadActiveAsync())!);
            var expected = new float[3];
            var actual = new float[3];
            good.Model.PredictProbabilities(good.Test.GetRow(0), expected);
            active.PredictProbabilities(good.Test.GetRow(0), actual);
            Assert.Equal(expected, actual);

            var forced = await versions.ProposeAsync(weak, force: true);
            Assert.True(forced.Promoted);
            Assert.StartsWith("Promoted by force", forced.Decision.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ProposeAsync_BinaryChampion_NotComparable()
    {
        var binary = await new QualityTrainer(new QualityTrainerOptions { GradientBoosting = { NumberOfTrees = 5 }, Calibration = CalibrationMethod.None })
            .TrainAsync(CsvDatasetLoader.Load(SharedData.Coupon, new CsvLoadOptions { LabelColumn = "Y" }));
        var multiclass = await Trainer(5, MulticlassCalibrationMethod.None).TrainMulticlassAsync(Coupon.Value);
        using var versions = new ModelVersionManager(new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = _dir.Path }));
        Assert.True((await versions.ProposeAsync(binary)).Promoted);
        var proposal = await versions.ProposeAsync(multiclass);
        Assert.False(proposal.Promoted);
        Assert.Contains("binary", proposal.Decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrainMulticlassAsync_ValidationSplit_StopsEarlyCalibratesOnItAndRefitsOnAllRows()
    {
        var load = Coupon.Value;
        var options = new QualityTrainerOptions { GradientBoosting = { NumberOfTrees = 400, NumberOfLeaves = 15, LearningRate = 0.3, Seed = 3 }, Seed = 5 };
        var result = await new QualityTrainer(options).TrainMulticlassAsync(load);

        // 400 rounds at a high rate overfit the coupon survey: early stopping keeps fewer, and the final model has exactly
        // that many rounds, refitted on every training row (not only the 80% the stopping run saw).
        var note = Assert.Single(result.Warnings, w => w.StartsWith("Validation split: ", StringComparison.Ordinal));
        var rounds = int.Parse(note.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(rounds, 1, 399);
        Assert.Equal(3 * rounds, result.Model.Predictor.TreeCount);
        Assert.Contains($"all {result.TrainRows} training rows", note, StringComparison.Ordinal);
        var calibration = Assert.IsType<MulticlassCalibrationResult>(result.Calibration);
        Assert.Equal(3, calibration.Candidates.Count);

        // Off: every round is fitted and the calibration is out of fold, as before.
        options.MulticlassValidationFraction = 0;
        options.GradientBoosting.NumberOfTrees = 10;
        options.CalibrationFolds = 3;
        var off = await new QualityTrainer(options).TrainMulticlassAsync(load);
        Assert.Equal(30, off.Model.Predictor.TreeCount);
        Assert.DoesNotContain(off.Warnings, w => w.StartsWith("Validation split", StringComparison.Ordinal));
        Assert.Equal(3, Assert.IsType<MulticlassCalibrationResult>(off.Calibration).Candidates.Count);
    }

    [Fact]
    public async Task TrainMulticlassAsync_ClassTooRareForAValidationSplit_FitsEveryRoundWithAWarning()
    {
        var data = Coupon.Value.Dataset;
        var labels = data.Labels.Span;
        var rows = new List<int>();
        int[] taken = [0, 0, 0];
        for (var i = 0; i < labels.Length; i++)
        {
            var y = (int)labels[i];
            if (taken[y] < (y == 2 ? 1 : 300))
            {
                taken[y]++;
                rows.Add(i);
            }
        }

        var options = new QualityTrainerOptions { GradientBoosting = { NumberOfTrees = 8, NumberOfLeaves = 7 }, Split = SplitStrategy.Random };
        var result = await new QualityTrainer(options).TrainMulticlassAsync(data.Select(rows), Coupon.Value.ClassNames!);

        Assert.Contains(result.Warnings, w => w.StartsWith("No validation split: a class would be missing", StringComparison.Ordinal));
        Assert.Equal(24, result.Model.Predictor.TreeCount);
    }

    [Fact]
    public void Options_MulticlassValidationFractionOutOfRange_Refused()
    {
        var options = new QualityTrainerOptions { MulticlassValidationFraction = 0.7 };
        var ex = Assert.Throws<OptionsValidationException>(options.Validate);
        Assert.Contains(nameof(QualityTrainerOptions.MulticlassValidationFraction), ex.Message, StringComparison.Ordinal);
    }
}
