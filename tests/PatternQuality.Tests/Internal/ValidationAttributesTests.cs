using System.ComponentModel.DataAnnotations;
using PatternQuality.Internal;

namespace PatternQuality.Tests.Internal;

/// <summary>The attributes that say what <see cref="RangeAttribute"/> cannot: their edges, and the messages users read.</summary>
public class ValidationAttributesTests
{
    [Theory]
    [InlineData(1, true)]
    [InlineData(int.MaxValue, true)]
    [InlineData(0, false)]
    public void AtLeast_Integer_AllowsTheMinimumAndAbove(int value, bool valid)
    {
        var sut = new AtLeastAttribute(1);

        Assert.Equal(valid, sut.IsValid(value));
        Assert.Equal("The field X.Y must be 1 or more.", sut.FormatErrorMessage("X.Y"));
    }

    [Theory]
    [InlineData(0.0, true)]
    [InlineData(1e300, true)]
    [InlineData(-1e-9, false)]
    [InlineData(double.NaN, false)]
    [InlineData(double.PositiveInfinity, false)]
    public void AtLeast_Double_AllowsFiniteValuesFromTheMinimum(double value, bool valid)
    {
        var sut = new AtLeastAttribute(0.0);

        Assert.Equal(valid, sut.IsValid(value));
        Assert.Equal("The field X.Y must be a finite number, 0 or more.", sut.FormatErrorMessage("X.Y"));
    }

    [Fact]
    public void Attributes_NullIsValid_OtherTypesAreNot()
    {
        Assert.True(new AtLeastAttribute(1).IsValid(null));
        Assert.True(new FiniteAttribute().IsValid(null));
        Assert.True(new TimeSpanRangeAttribute("00:00:00", "00:00:01").IsValid(null));
        Assert.True(new PathCharactersAttribute().IsValid(null));
        Assert.False(new AtLeastAttribute(1).IsValid("1"));
        Assert.False(new FiniteAttribute().IsValid("1"));
        Assert.False(new TimeSpanRangeAttribute("00:00:00", "00:00:01").IsValid(1));
    }

    [Fact]
    public void Finite_RejectsNaNAndInfinities()
    {
        var sut = new FiniteAttribute();

        Assert.True(sut.IsValid(-1e300));
        Assert.False(sut.IsValid(double.NaN));
        Assert.False(sut.IsValid(double.NegativeInfinity));
        Assert.Equal("The field X.Y must be a finite number.", sut.FormatErrorMessage("X.Y"));
    }

    [Fact]
    public void TimeSpanRange_BoundsInclusive_InfiniteOnlyWhenAllowed()
    {
        var bounded = new TimeSpanRangeAttribute("00:00:00.001", "01:00:00");
        var orInfinite = new TimeSpanRangeAttribute("00:00:00.001", "01:00:00") { AllowInfinite = true };

        Assert.True(bounded.IsValid(TimeSpan.FromMilliseconds(1)));
        Assert.True(bounded.IsValid(TimeSpan.FromHours(1)));
        Assert.False(bounded.IsValid(TimeSpan.Zero));
        Assert.False(bounded.IsValid(Timeout.InfiniteTimeSpan));
        Assert.True(orInfinite.IsValid(Timeout.InfiniteTimeSpan));
        Assert.False(orInfinite.IsValid(TimeSpan.FromHours(2)));
        Assert.Equal("The field X.Y must be between 00:00:00.001 and 01:00:00.", bounded.FormatErrorMessage("X.Y"));
        Assert.Equal("The field X.Y must be between 00:00:00.001 and 01:00:00, or Timeout.InfiniteTimeSpan.", orInfinite.FormatErrorMessage("X.Y"));
    }
}
