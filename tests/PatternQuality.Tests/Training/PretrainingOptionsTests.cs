using Microsoft.Extensions.Options;
using PatternQuality.Training;

namespace PatternQuality.Tests.Training;

public class PretrainingOptionsTests
{
    [Fact]
    public void Validate_Defaults_Passes()
    {
        var sut = new PretrainingOptions();

        sut.Validate();

        Assert.Equal(50, sut.FineTuneTrees);
        Assert.Equal(0.05, sut.FineTuneLearningRate);
        Assert.Equal(10, sut.FineTuneMinimumExampleCountPerLeaf);
        Assert.Equal(0, sut.CorpusWeight);
    }

    [Fact]
    public void Validate_OutOfRange_ListsEverySetting()
    {
        var sut = new PretrainingOptions { FineTuneTrees = 0, FineTuneLearningRate = 0, FineTuneMinimumExampleCountPerLeaf = 0, CorpusWeight = -1 };

        var ex = Assert.Throws<OptionsValidationException>(sut.Validate);

        Assert.Equal(4, ex.Failures.Count());
        Assert.Contains("The field PretrainingOptions.FineTuneTrees must be between 1 and 100000.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The field PretrainingOptions.FineTuneLearningRate must be between 0 exclusive and 1.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The field PretrainingOptions.FineTuneMinimumExampleCountPerLeaf must be 1 or more.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The field PretrainingOptions.CorpusWeight must be between 0 and 1.", ex.Message, StringComparison.Ordinal);
    }
}
