using Microsoft.Extensions.Options;
using PatternQuality.Data;

namespace PatternQuality.Tests.Data;

public class CsvLoadOptionsTests
{
    [Fact]
    public void Validate_Defaults_AreValid()
    {
        new CsvLoadOptions().Validate();
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
        var ex = Assert.Throws<OptionsValidationException>(sut.Validate);

        Assert.Equal(6, ex.Failures.Count());
        Assert.Contains("CsvLoadOptions.PositiveValue and CsvLoadOptions.Threshold cannot both be set.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The field CsvLoadOptions.Threshold must be a finite number.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The field CsvLoadOptions.MaxCategoricalDistinct must be between 1 and 1000000.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The field CsvLoadOptions.MinCategoryCount must be between 1 and 1000000.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The field CsvLoadOptions.Delimiter cannot be a quote or a line break.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("need a CsvLoadOptions.LabelColumn", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LabelAlsoDropped_IsAnError()
    {
        var sut = new CsvLoadOptions { LabelColumn = "y" };
        sut.Drop.Add("y");
        Assert.Contains("cannot also be the time column, a dropped column or a history key", Assert.Single(Assert.Throws<OptionsValidationException>(sut.Validate).Failures), StringComparison.Ordinal);
    }
}
