using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using PatternQuality.Data;
using PatternQuality.Data.Internal;
using PatternQuality.Features;
using PatternQuality.Tests.TestUtils;

namespace PatternQuality.Tests.Data;

/// <summary>Issue 18's hostile inputs for the loaders, and the typed CSV reader against the text one (issue 19).</summary>
public class LoaderHardeningTests
{
    [Theory]
    [InlineData("2147483647")]
    [InlineData("2147483648")]
    [InlineData("100000000")]
    [InlineData("99999999999999999999999")]
    public void SvmLight_HugeFeatureIndex_ErrorNamesLineAndWidth(string index)
    {
        using var f = new TempFile($"1 1:0.5\n0 {index}:1\n", ".svm");
        var watch = Stopwatch.StartNew();
        var ex = Assert.Throws<DataFormatException>(() => SvmLightLoader.Load(f.Path));
        Assert.Equal(2, ex.Line);
        Assert.Contains("maximum width 100,000", ex.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void SvmLight_MaxFeatureCount_AllowsWiderFiles()
    {
        using var f = new TempFile("1 1:0.5 150000:2\n0 3:1\n", ".svm");
        var d = SvmLightLoader.Load(f.Path, new SvmLightLoadOptions { MaxFeatureCount = 200_000 });
        Assert.Equal(150_000, d.Schema.Count);
        Assert.Equal(2f, d.GetRow(0)[149_999]);
        Assert.Contains("The field SvmLightLoadOptions.MaxFeatureCount must be between 1 and 10000000.", Assert.Throws<OptionsValidationException>(new SvmLightLoadOptions { MaxFeatureCount = 0 }.Validate).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("# only a comment\n# and another\n")]
    [InlineData("\n# comment\n\n")]
    public void SvmLight_CommentOnlyFile_IsSvmLightWithNoRows(string text)
    {
        using var f = new TempFile(text, ".svm");
        Assert.True(SvmLightLoader.LooksLikeSvmLight(f.Path));
        var ex = Assert.Throws<DataFormatException>(() => SvmLightLoader.Load(f.Path));
        Assert.Contains("no data rows", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LooksLikeSvmLight_CsvAndSvmLight_TellApart()
    {
        using var csv = new TempFile("a,b\n1,2\n");
        using var svm = new TempFile("# header comment\n1 qid:3 1:0.5 7:2\n", ".svm");
        Assert.False(SvmLightLoader.LooksLikeSvmLight(csv.Path));
        Assert.True(SvmLightLoader.LooksLikeSvmLight(svm.Path));
        Assert.True(SvmLightLoader.LooksLikeSvmLight(SharedData.RankTrain));
        Assert.False(SvmLightLoader.LooksLikeSvmLight(SharedData.Coupon));
    }

    [Fact]
    public void Loaders_EmptyFile_ClearError()
    {
        using var f = new TempFile(string.Empty);
        Assert.Contains("empty", Assert.Throws<DataFormatException>(() => CsvTable.Read(f.Path)).Message, StringComparison.Ordinal);
        Assert.Contains("empty", Assert.Throws<DataFormatException>(() => SvmLightLoader.Load(f.Path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loaders_DeviceOrFifo_RefusedWithoutOpening()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fifo = Path.Combine(Path.GetTempPath(), "pq-fifo-" + Guid.NewGuid().ToString("N"));
        using (var p = Process.Start("mkfifo", fifo))
        {
            await p.WaitForExitAsync();
        }

        try
        {
            foreach (var path in new[] { fifo, "/dev/zero" })
            {
                // On a hang the task never finishes: fail rather than block the test run.
                var csv = Task.Run(() => CsvDatasetLoader.Inspect(path, new CsvLoadOptions()));
                var svm = Task.Run(() => SvmLightLoader.Load(path));
                var both = Task.WhenAll(csv.ContinueWith(_ => { }, TaskScheduler.Default), svm.ContinueWith(_ => { }, TaskScheduler.Default));
                Assert.Same(both, await Task.WhenAny(both, Task.Delay(TimeSpan.FromSeconds(30))));
                Assert.Contains("not a regular file", Assert.IsType<DataFormatException>(csv.Exception!.InnerException).Message, StringComparison.Ordinal);
                Assert.IsType<DataFormatException>(svm.Exception!.InnerException);
            }

            var dir = Assert.Throws<DataFormatException>(() => CsvTable.Read(Path.GetTempPath()));
            Assert.Contains("directory", dir.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(fifo);
        }
    }

    [Fact]
    public void Loaders_InvalidUtf8_ErrorNamesLineAndCharacter()
    {
        var path = Path.Combine(Path.GetTempPath(), "pq-test-" + Guid.NewGuid().ToString("N") + ".csv");
        try
        {
            File.WriteAllBytes(path, [.. "a,b,y\n1,x,0\n2,"u8, 0xC3, 0x28, .. ",1\n"u8]);
            var ex = Assert.Throws<DataFormatException>(() => CsvDatasetLoader.Load(path, new CsvLoadOptions { LabelColumn = "y" }));
            Assert.Equal(3, ex.Line);
            Assert.Contains("not valid UTF-8 (invalid bytes at character 3", ex.Message, StringComparison.Ordinal);

            File.WriteAllBytes(path, [.. "1 1:0.5\n0 2:"u8, 0xFF, .. "\n"u8]);
            var svm = Assert.Throws<DataFormatException>(() => SvmLightLoader.Load(path));
            Assert.Equal(2, svm.Line);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void CsvReader_TinyBuffer_SameRecordsAndLines()
    {
        var text = "a,\"b\"\"q\",c\r\n\r\n1, 2 ,\"multi\nline\"\n\"x\"tail,,\"\"\n3,4,5";
        var expected = ReadAll(text, 1 << 16);
        Assert.Equal(4, expected.Count);
        Assert.Equal(["a", "b\"q", "c"], expected[0].Fields);
        Assert.Equal(["1", "2", "multi\nline"], expected[1].Fields);
        Assert.Equal(3L, expected[1].Line);
        Assert.Equal(["xtail", string.Empty, string.Empty], expected[2].Fields);
        Assert.Equal(5L, expected[2].Line);
        foreach (var size in new[] { 1, 2, 3, 5, 8 })
        {
            var actual = ReadAll(text, size);
            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Fields, actual[i].Fields);
                Assert.Equal(expected[i].Line, actual[i].Line);
            }
        }
    }

    [Fact]
    public void CsvReader_UnclosedQuote_NamesLine()
    {
        using var f = new TempFile("a,b\n1,2\n3,\"open\n4,5\n");
        var ex = Assert.Throws<DataFormatException>(() => CsvTable.Read(f.Path));
        Assert.Equal(3, ex.Line);
        Assert.Contains("never closed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NumberColumnThatTurnsToTextAfterTheSample_KeepsTheTextExactly()
    {
        var sb = new StringBuilder("code,x,y\n");
        for (var i = 0; i < 1500; i++)
        {
            sb.Append(i == 1400 ? "A1" : (i % 3 == 0 ? "1.50" : "02")).Append(',').Append(i % 7).Append(',').Append(i % 2).Append('\n');
        }

        using var f = new TempFile(sb.ToString());
        var result = CsvDatasetLoader.Load(f.Path, new CsvLoadOptions { LabelColumn = "y" });
        Assert.Equal("categorical", result.Inspection.Columns[0].Kind);
        Assert.Equal("1.50", result.Table.GetValues(0)[0]);
        Assert.Equal("02", result.Table.GetValues(1)[0]);
        Assert.Contains("1.50", result.Dataset.Schema[0].Categories);
        Assert.Contains("02", result.Dataset.Schema[0].Categories);
        Assert.Contains("A1", result.Dataset.Schema[0].Categories);
    }

    [Theory]
    [InlineData("coupon")]
    [InlineData("bank")]
    [InlineData("ratings")]
    public void Load_TypedColumns_SameDatasetAsTheTextOfEveryCell(string name)
    {
        var (path, options) = name switch
        {
            "coupon" => (SharedData.Coupon, new CsvLoadOptions { LabelColumn = "Y" }),
            "bank" => (SharedData.Bank, new CsvLoadOptions { LabelColumn = "y", PositiveValue = "yes" }),
            _ => (SharedData.MovieLensRatings, new CsvLoadOptions { LabelColumn = "rating", Threshold = 4, TimeColumn = "timestamp" }),
        };
        var result = CsvDatasetLoader.Load(path, options);
        var text = CsvTable.Read(path, options.Delimiter, options.HasHeader);
        var width = result.Dataset.Schema.Count;
        var expected = new float[width];
        Assert.Equal(text.RowCount, result.Dataset.RowCount);
        for (var i = 0; i < text.RowCount; i++)
        {
            result.Extractor.Extract(text.GetRow(i), expected);
            var actual = result.Dataset.GetRow(i);
            for (var j = 0; j < width; j++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(expected[j]) == BitConverter.SingleToInt32Bits(actual[j]), $"row {i}, feature {j}: {expected[j]} vs {actual[j]}");
            }
        }
    }

    private static List<(string[] Fields, long Line)> ReadAll(string text, int bufferSize)
    {
        using var reader = new CsvReader(new StringReader(text), ',', "test.csv", null, bufferSize);
        var records = new List<(string[], long)>();
        while (reader.ReadRecord())
        {
            var fields = new string[reader.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = reader.GetString(i);
            }

            records.Add((fields, reader.RecordLine));
        }

        return records;
    }
}
