using Parquet;
using Parquet.Schema;
using PatternQuality.Cli;
using PatternQuality.Data;
using PatternQuality.Data.Parquet;
using PatternQuality.Features;
using PatternQuality.Tests.Storage;
using PatternQuality.Tests.TestUtils;

namespace PatternQuality.Tests.Data.Parquet;

public class ParquetDatasetLoaderTests
{
    [Fact]
    public async Task TypesComeFromTheFile_NullsAreMissing_TimesAreUnixSeconds()
    {
        using var file = new TempFile(string.Empty, ".parquet");
        var t0 = new DateTime(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);
        var fields = new DataField[]
        {
            new DataField<float>("score"),
            new DataField<int?>("count"),
            new DataField<bool>("flag"),
            new DataField<string>("city", true),
            new DataField<DateTime>("at"),
            new DataField<long>("label"),
        };
        await using (var stream = File.Create(file.Path))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream))
        {
            for (var g = 0; g < 3; g++)
            {
                using var group = writer.CreateRowGroup();
                await group.WriteAsync<float>(fields[0], new[] { 0.5f, 1.25f }.AsMemory(), null, null, CancellationToken.None);
                await group.WriteAsync<int>(fields[1], new int?[] { 7, null }.AsMemory(), null, null, CancellationToken.None);
                await group.WriteAsync<bool>(fields[2], new[] { true, false }.AsMemory(), null, null, CancellationToken.None);
                await group.WriteAsync(fields[3], new[] { "paris", null }!, null);
                await group.WriteAsync<DateTime>(fields[4], new[] { t0.AddHours(g), t0.AddHours(g).AddMinutes(1) }.AsMemory(), null, null, CancellationToken.None);
                await group.WriteAsync<long>(fields[5], new[] { 1L, 0L }.AsMemory(), null, null, CancellationToken.None);
            }
        }

        var options = new CsvLoadOptions { LabelColumn = "label", TimeColumn = "at" };
        var result = await ParquetDatasetLoader.LoadAsync(file.Path, options);
        var d = result.Dataset;

        Assert.Equal(6, d.RowCount);
        Assert.Equal(FeatureKind.Numeric, d.Schema[d.Schema.IndexOf("score")].Kind);
        Assert.Equal(FeatureKind.Numeric, d.Schema[d.Schema.IndexOf("count")].Kind);
        Assert.Equal(FeatureKind.Boolean, d.Schema[d.Schema.IndexOf("flag")].Kind);
        Assert.Equal(FeatureKind.Categorical, d.Schema[d.Schema.IndexOf("city")].Kind);
        Assert.Equal([1f, 0f, 1f, 0f, 1f, 0f], d.Labels.ToArray());
        Assert.Equal(1.25f, d.GetRow(3)[d.Schema.IndexOf("score")]);
        Assert.True(float.IsNaN(d.GetRow(1)[d.Schema.IndexOf("count")]));
        Assert.Equal(new DateTimeOffset(t0.AddHours(2).AddMinutes(1)).ToUnixTimeMilliseconds(), d.Timestamps!.Value.Span[5]);
        Assert.Equal(new DateTimeOffset(t0), result.Inspection.TimeMin);
        Assert.Equal(3, result.Inspection.Columns.Single(c => c.Name == "city").Missing);
        Assert.Equal(6, result.Table.GetLine(5)); // a Parquet row's "line" is its 1-based row
    }

    [Fact]
    public async Task Coupon_AsParquet_TrainsAndPredictsThroughPq()
    {
        // Real data written to Parquet in the test (numbers as double, text as strings), then the CLI end to end.
        using var parquet = new TempFile(string.Empty, ".parquet");
        var table = CsvTable.Read(SharedData.Coupon, null, true, _ => CsvStorage.Double, CancellationToken.None);
        await ParquetTestFiles.WriteAsync(table, parquet.Path, rowGroupSize: 5000);
        using var store = new TempDirectory();
        using var scored = new TempFile(string.Empty);

        var (code, stdout, stderr) = Run("inspect", "--data", parquet.Path, "--label", "Y", "--json");
        Assert.True(code == 0, stderr);
        Assert.Contains("\"rows\":12684", stdout);

        (code, _, stderr) = Run("train", "--data", parquet.Path, "--label", "Y", "--store", store.Path, "--trees", "20");
        Assert.True(code == 0, stderr);

        (code, _, stderr) = Run("predict", "--data", parquet.Path, "--store", store.Path, "--out", scored.Path);
        Assert.True(code == 0, stderr);
        var lines = File.ReadAllLines(scored.Path);
        Assert.Equal(12685, lines.Length);
        Assert.EndsWith("score", lines[0]);
    }

    [Fact]
    public async Task NestedColumn_IsAnErrorNamingIt_UnlessDropped()
    {
        using var file = new TempFile(string.Empty, ".parquet");
        var fields = new Field[] { new DataField<double>("x"), new DataField<int[]>("tags"), new DataField<int>("y") };
        await using (var stream = File.Create(file.Path))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<double>((DataField)fields[0], new[] { 1.0, 2.0 }.AsMemory(), null, null, CancellationToken.None);
            await group.WriteAsync<int>((DataField)fields[1], new[] { 1, 2, 3 }.AsMemory(), new[] { 0, 1, 0 }.AsMemory(), null, CancellationToken.None);
            await group.WriteAsync<int>((DataField)fields[2], new[] { 0, 1 }.AsMemory(), null, null, CancellationToken.None);
        }

        var options = new CsvLoadOptions { LabelColumn = "y" };
        var ex = await Assert.ThrowsAsync<DataFormatException>(() => ParquetDatasetLoader.LoadAsync(file.Path, options));
        Assert.Equal("tags", ex.Column);
        Assert.Contains("--drop", ex.Message);

        options.Drop.Add("tags");
        var d = (await ParquetDatasetLoader.LoadAsync(file.Path, options)).Dataset;
        Assert.Equal(2, d.RowCount);
        Assert.Equal(["x"], d.Schema.Features.Select(f => f.Name));
    }

    [Fact]
    public async Task NotParquet_Missing_Empty_AreClearErrors()
    {
        using var csv = new TempFile("a,b\n1,2\n", ".parquet");
        var ex = await Assert.ThrowsAsync<DataFormatException>(() => ParquetDatasetLoader.ReadTableAsync(csv.Path));
        Assert.Contains("cannot be read as Parquet", ex.Message);
        Assert.StartsWith(csv.Path, ex.Message);

        using var empty = new TempFile(string.Empty, ".parquet");
        await Assert.ThrowsAsync<DataFormatException>(() => ParquetDatasetLoader.ReadTableAsync(empty.Path));
        await Assert.ThrowsAsync<FileNotFoundException>(() => ParquetDatasetLoader.ReadTableAsync(csv.Path + ".none"));

        // A truncated real file: every byte sequence gives a table or a DataFormatException.
        using var parquet = new TempFile(string.Empty, ".parquet");
        await ParquetTestFiles.WriteAsync(CsvTable.Read(SharedData.Coupon), parquet.Path, 4096);
        var bytes = await File.ReadAllBytesAsync(parquet.Path);
        foreach (var cut in new[] { 3, 100, bytes.Length / 2, bytes.Length - 9, bytes.Length - 1 })
        {
            await File.WriteAllBytesAsync(csv.Path, bytes.AsSpan(0, cut).ToArray());
            await Assert.ThrowsAsync<DataFormatException>(() => ParquetDatasetLoader.ReadTableAsync(csv.Path));
        }
    }

    [Fact]
    public void TableBuilder_ChecksItsInput()
    {
        var builder = new CsvTableBuilder("mem").AddColumn("a", new[] { 1f, float.NaN });
        Assert.Throws<ArgumentException>(() => builder.AddColumn("a", new[] { 1.0, 2.0 }));
        Assert.Throws<ArgumentException>(() => builder.AddColumn("b", new[] { 1.0 }));
        Assert.Throws<ArgumentException>(() => builder.AddColumn("", new[] { "x", "y" }));
        var table = builder.AddColumn("inf", new[] { double.PositiveInfinity, 1 }).AddColumn("s", new string?[] { null, "x" }).Build();
        Assert.Equal(["a", "inf", "s"], table.Header);
        Assert.False(table.IsNumeric(1)); // an infinity is text, as the CSV reader keeps it
        Assert.Equal(string.Empty, table[0, 2]);
        Assert.Throws<DataFormatException>(() => new CsvTableBuilder("mem").Build());
        Assert.Throws<ArgumentOutOfRangeException>(() => table.GetLine(2));
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = PqApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
