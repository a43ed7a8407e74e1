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

        Assert.Equal(7, ex.Failures.Count());
        Assert.Contains("The field QualityTrainerOptions.Trainer must be Gbdt or Forest.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The field QualityTrainerOptions.Split must be Auto, Random, Temporal or FileOrder.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The field QualityTrainerOptions.TestFraction must be between 0 exclusive and 0.9.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The field QualityTrainerOptions.Calibration must be None, Platt, Isotonic or Auto.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The field QualityTrainerOptions.CalibrationCriterion must be Brier or LogLoss.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The field QualityTrainerOptions.CalibrationFolds must be between 2 and 20.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The field QualityTrainerOptions.CrossValidationFolds must be 0 (no cross-validation) or between 2 and 20.", ex.Message, StringComparison.Ordinal);
        Assert.Equal(typeof(QualityTrainerOptions), ex.OptionsType);
    }

    [Fact]
    public void Validate_BadNestedOptions_PrefixesTheirNames()
    {
        var sut = new QualityTrainerOptions { GradientBoosting = { NumberOfTrees = 0 }, Pretraining = { CorpusWeight = 2 } };

        var ex = Assert.Throws<OptionsValidationException>(sut.Validate);

        Assert.Equal(2, ex.Failures.Count());
        Assert.Contains("The field QualityTrainerOptions.GradientBoosting.NumberOfTrees must be between 1 and 100000.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The field QualityTrainerOptions.Pretraining.CorpusWeight must be between 0 and 1.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NullNestedOptions_SaysSo()
    {
        var sut = new QualityTrainerOptions { RandomForest = null! };

        var ex = Assert.Throws<OptionsValidationException>(sut.Validate);

        Assert.Contains("The QualityTrainerOptions.RandomForest field is required.", ex.Message, StringComparison.Ordinal);
    }
}
