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

        Assert.Contains("FineTuneTrees is 0; allowed: 1 to 100000.", ex.Failures);
        Assert.Contains("FineTuneLearningRate is 0; allowed: greater than 0, at most 1.", ex.Failures);
        Assert.Contains("FineTuneMinimumExampleCountPerLeaf is 0; allowed: 1 or more.", ex.Failures);
        Assert.Contains("CorpusWeight is -1; allowed: 0 to 1.", ex.Failures);
    }
}
