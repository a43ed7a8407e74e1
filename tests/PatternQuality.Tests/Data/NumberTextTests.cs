using System.Globalization;
using PatternQuality.Data.Internal;

namespace PatternQuality.Tests.Data;

/// <summary>The loader's number parsing gives bit for bit what double.TryParse gives, fast path or not.</summary>
public class NumberTextTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("+0")]
    [InlineData("-0.0")]
    [InlineData("0.0204534")]
    [InlineData("-2.01595")]
    [InlineData("7.01736")]
    [InlineData("5.")]
    [InlineData(".5")]
    [InlineData("-.5")]
    [InlineData("1e5")]
    [InlineData("1E-5")]
    [InlineData("1.5e+22")]
    [InlineData("1.5e23")]
    [InlineData("3e-22")]
    [InlineData("3e-23")]
    [InlineData("0e999999")]
    [InlineData("9007199254740992")]
    [InlineData("9007199254740993")]
    [InlineData("1234567890123456789")]
    [InlineData("12345678901234567890")]
    [InlineData("0.000000000000000000001")]
    [InlineData("0.1000000000000000000000")]
    [InlineData("123456.789e-3")]
    [InlineData("1.7976931348623157e308")]
    [InlineData("1e309")]
    [InlineData("4.9e-324")]
    [InlineData(" 1.5")]
    [InlineData("1.5 ")]
    [InlineData("1,000")]
    [InlineData("NaN")]
    [InlineData("-Infinity")]
    [InlineData("∞")]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("e5")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("1.2.3")]
    [InlineData("0x10")]
    [InlineData("1-2")]
    [InlineData("١٢")]
    public void TryParse_EdgeCases_SameAsDoubleTryParse(string text) => AssertSame(text);

    [Fact]
    public void TryParse_RandomNumbersInManyFormats_SameBitsAsDoubleTryParse()
    {
        var random = new Random(19);
        string[] formats = ["R", "G6", "G9", "G17", "F2", "F6", "E3", "E10", "0.##########", "0.0###e+0"];
        for (var i = 0; i < 200_000; i++)
        {
            var magnitude = Math.Pow(10, random.Next(-30, 30));
            var v = (random.NextDouble() - 0.5) * magnitude;
            if (i % 3 == 0)
            {
                v = (float)v;
            }

            AssertSame(v.ToString(formats[i % formats.Length], CultureInfo.InvariantCulture));
            AssertSame(Digits(random, random.Next(1, 22)) + "." + Digits(random, random.Next(0, 22)));
        }
    }

    [Theory]
    [InlineData("0.0204534")]
    [InlineData("-2.01595")]
    [InlineData("42")]
    [InlineData("1.5e-3")]
    public void TryParseFast_PlainDecimals_TakeTheFastPath(string text)
    {
        Assert.True(NumberText.TryParseFast(text, out var v));
        Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), v);
    }

    private static string Digits(Random random, int count)
    {
        var digits = new char[count];
        for (var i = 0; i < count; i++)
        {
            digits[i] = (char)('0' + random.Next(10));
        }

        return new string(digits);
    }

    private static void AssertSame(string text)
    {
        var expectedOk = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var expected);
        var ok = NumberText.TryParse(text, out var actual);
        Assert.Equal(expectedOk, ok);
        if (ok)
        {
            Assert.True(
                BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual),
                $"'{text}': {expected:R} expected, {actual:R} parsed");
        }
    }
}
