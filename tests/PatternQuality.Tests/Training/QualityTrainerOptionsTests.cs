using Microsoft.Extensions.Options;
using PatternQuality.Calibration;
using PatternQuality.Training;

namespace PatternQuality.Tests.Training;

public class QualityTrainerOptionsTests
{
    [Fact]
    public void Validate_Defaults_Passes()
    {
        var sut = new QualityTrainerOptions();

        sut.Validate();

        Assert.Equal(TrainerKind.Gbdt, sut.Trainer);
        Assert.Equal(SplitStrategy.Auto, sut.Split);
        Assert.Equal(0.2, sut.TestFraction);
        Assert.Equal(42, sut.Seed);
        Assert.Equal(CalibrationMethod.Auto, sut.Calibration);
        Assert.Equal(5, sut.CalibrationFolds);
        Assert.Equal(0, sut.CrossValidationFolds);
    }

    [Fact]
    public void Validate_EveryBadSetting_ListsEachWithItsAllowedRange()
    {
        var sut = new QualityTrainerOptions
        {
            Trainer = (TrainerKind)9,
            Split = (SplitStrategy)9,
            TestFraction = 0,
            Calibration = (CalibrationMethod)9,
            CalibrationCriterion = (CalibrationCriterion)9,
            CalibrationFolds = 1,
            CrossValidationFolds = 1,
        };

        var ex = Assert.Throws<OptionsValidationException>(sut.Validate);

        Assert.Contains("Trainer is 9; allowed: Gbdt or Forest.", ex.Failures);
        Assert.Contains("Split is 9; allowed: Auto, Random, Temporal or FileOrder.", ex.Failures);
        Assert.Contains("TestFraction is 0; allowed: greater than 0, at most 0.9.", ex.Failures);
        Assert.Contains("Calibration is 9; allowed: None, Platt, Isotonic or Auto.", ex.Failures);
        Assert.Contains("CalibrationCriterion is 9; allowed: Brier or LogLoss.", ex.Failures);
        Assert.Contains("CalibrationFolds is 1; allowed: 2 to 20.", ex.Failures);
        Assert.Contains("CrossValidationFolds is 1; allowed: 0 (none) or 2 to 20.", ex.Failures);
        Assert.Equal(nameof(QualityTrainerOptions), ex.OptionsName);
    }

    [Fact]
    public void Validate_BadNestedOptions_PrefixesTheirNames()
    {
        var sut = new QualityTrainerOptions { GradientBoosting = { NumberOfTrees = 0 }, Pretraining = { CorpusWeight = 2 } };

        var ex = Assert.Throws<OptionsValidationException>(sut.Validate);

        Assert.Contains(ex.Failures, f => f.StartsWith("GradientBoosting.", StringComparison.Ordinal) && f.Contains("NumberOfTrees", StringComparison.Ordinal));
        Assert.Contains("Pretraining.CorpusWeight is 2; allowed: 0 to 1.", ex.Failures);
    }

    [Fact]
    public void Validate_NullNestedOptions_SaysSo()
    {
        var sut = new QualityTrainerOptions { RandomForest = null! };

        var ex = Assert.Throws<OptionsValidationException>(sut.Validate);

        Assert.Contains("RandomForest is null; set it to an options instance.", ex.Failures);
    }
}
