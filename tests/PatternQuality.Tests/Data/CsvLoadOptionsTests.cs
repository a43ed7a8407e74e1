using PatternQuality.Data;

namespace PatternQuality.Tests.Data;

public class CsvLoadOptionsTests
{
    [Fact]
    public void Validate_Defaults_AreValid()
    {
        Assert.Empty(new CsvLoadOptions().Validate());
    }

    [Fact]
    public void Validate_EveryProblem_IsReportedNamingTheOption()
    {
        var sut = new CsvLoadOptions
        {
            PositiveValue = "yes",
            Threshold = double.NaN,
            MaxCategoricalDistinct = 0,
            MinCategoryCount = -1,
            Delimiter = '"',
        };
        var errors = sut.Validate();

        Assert.Contains(errors, e => e.Contains("PositiveValue and Threshold cannot both", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Threshold must be a finite", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("MaxCategoricalDistinct must be between 1 and 1,000,000", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("MinCategoryCount must be between 1 and 1,000,000", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Delimiter", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("need a LabelColumn", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_LabelAlsoDropped_IsAnError()
    {
        var sut = new CsvLoadOptions { LabelColumn = "y" };
        sut.Drop.Add("y");
        Assert.Single(sut.Validate());
    }
}
