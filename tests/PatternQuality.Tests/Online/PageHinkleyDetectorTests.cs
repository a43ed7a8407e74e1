using Microsoft.Extensions.Options;
using PatternQuality.Online;

namespace PatternQuality.Tests.Online;

public class PageHinkleyDetectorTests : DriftDetectorContractTests
{
    private static PageHinkleyDetector CreateSut(PageHinkleyDetectorOptions? options = null) => new(options);

    private protected override IDriftDetector CreateDetector() => CreateSut();

    [Theory]
    [InlineData(nameof(PageHinkleyDetectorOptions.Delta))]
    [InlineData(nameof(PageHinkleyDetectorOptions.Threshold))]
    [InlineData(nameof(PageHinkleyDetectorOptions.Alpha))]
    [InlineData(nameof(PageHinkleyDetectorOptions.MinimumInstances))]
    public void Constructor_OptionOutOfRange_ThrowsNamingOption(string option)
    {
        var options = new PageHinkleyDetectorOptions();
        switch (option)
        {
            case nameof(PageHinkleyDetectorOptions.Delta): options.Delta = -1; break;
            case nameof(PageHinkleyDetectorOptions.Threshold): options.Threshold = 0; break;
            case nameof(PageHinkleyDetectorOptions.Alpha): options.Alpha = 1.5; break;
            default: options.MinimumInstances = 0; break;
        }

        var ex = Assert.Throws<OptionsValidationException>(() => CreateSut(options));

        Assert.Single(ex.Failures);
        Assert.Contains($"The field PageHinkleyDetectorOptions.{option} must be between", ex.Message, StringComparison.Ordinal);
    }
}
