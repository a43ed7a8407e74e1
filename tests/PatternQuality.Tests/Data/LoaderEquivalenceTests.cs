using PatternQuality.Data;
using PatternQuality.Data.Parquet;
using PatternQuality.Features;
using PatternQuality.Tests.Data.Parquet;
using PatternQuality.Tests.TestUtils;

namespace PatternQuality.Tests.Data;

/// <summary>
/// Every CSV file in the shared data gives the same dataset (or the same error) through each loading path: the typed
/// streaming reader (numbers parsed from spans into float columns), the all-text table (a string per cell, what the
/// loader did before typed columns), and the same cells written to Parquet and read back in several row groups.
/// </summary>
public class LoaderEquivalenceTests
{
    // How each file is loaded: its label (and threshold, time, group, history) where it has one; inspection otherwise.
    private static readonly Dictionary<string, Func<CsvLoadOptions>> _options = new(StringComparer.Ordinal)
    {
        ["in-vehicle-coupon-recommendation.csv"] = () => new CsvLoadOptions { LabelColumn = "Y" },
        ["bank-additional-full.csv"] = () => new CsvLoadOptions { LabelColumn = "y" },
        ["ratings.csv"] = () =>
        {
            var o = new CsvLoadOptions { LabelColumn = "rating", Threshold = 4, TimeColumn = "timestamp", GroupColumn = "userId" };
            o.HistoryKeys.Add("userId");
            return o;
        },
        ["tags.csv"] = () => new CsvLoadOptions { LabelColumn = "userId", Threshold = 300, TimeColumn = "timestamp" },
        ["links.csv"] = () => new CsvLoadOptions { LabelColumn = "movieId", Threshold = 50000 },
    };

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(SharedData.Root, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(SharedData.Root, f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task EveryCsv_TypedTextAndParquetPathsGiveTheSameResult(string relative)
    {
        var path = Path.Combine(SharedData.Root, relative);
        var options = _options.TryGetValue(Path.GetFileName(path), out var make) ? make() : new CsvLoadOptions();

        // The all-text table: a string per cell, numbers parsed from text by the extractor.
        CsvTable text;
        try
        {
            text = CsvTable.Read(path, options.Delimiter, options.HasHeader);
        }
        catch (DataFormatException expected)
        {
            // A file the text reader refuses (open bandit's unnamed index column) is refused alike, same message.
            var typed = Assert.Throws<DataFormatException>(() => CsvDatasetLoader.Inspect(path, options));
            Assert.Equal(expected.Message, typed.Message);
            return;
        }

        Assert.Equal(CsvDatasetLoader.Inspect(text, options), CsvDatasetLoader.Inspect(path, options), InspectionComparer.Instance);

        using var parquet = new TempFile(string.Empty, ".parquet");
        var csvTyped = CsvTable.Read(path, options.Delimiter, options.HasHeader, _ => CsvStorage.Double, CancellationToken.None);
        await ParquetTestFiles.WriteAsync(csvTyped, parquet.Path, rowGroupSize: 4096);
        Assert.Equal(CsvDatasetLoader.Inspect(path, options), await ParquetDatasetLoader.InspectAsync(parquet.Path, options), InspectionComparer.Instance);

        if (options.LabelColumn is null)
        {
            return;
        }

        var fromCsv = CsvDatasetLoader.Load(path, options);
        AssertSameDataset(CsvDatasetLoader.Load(text, options).Dataset, fromCsv.Dataset);
        AssertSameDataset(fromCsv.Dataset, (await ParquetDatasetLoader.LoadAsync(parquet.Path, options)).Dataset);
    }

    internal static void AssertSameDataset(Dataset expected, Dataset actual)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.Schema.Features.Select(f => (f.Name, f.Kind, string.Join("|", f.Categories))),
            actual.Schema.Features.Select(f => (f.Name, f.Kind, string.Join("|", f.Categories))));
        Assert.Equal(expected.Schema.Hash, actual.Schema.Hash);
        Assert.True(expected.Features.Span.SequenceEqual(actual.Features.Span), "the feature matrices differ");
        Assert.True(expected.Labels.Span.SequenceEqual(actual.Labels.Span), "the labels differ");
        Assert.Equal(expected.Timestamps?.ToArray(), actual.Timestamps?.ToArray());
        Assert.Equal(expected.Groups, actual.Groups);
    }

    /// <summary>Inspections are equal when every field and every column summary is.</summary>
    private sealed class InspectionComparer : IEqualityComparer<DataInspection>
    {
        public static readonly InspectionComparer Instance = new();

        public bool Equals(DataInspection? x, DataInspection? y) => x is not null && y is not null
            && x.Rows == y.Rows && x.Positive == y.Positive && x.Negative == y.Negative && x.TimeMin == y.TimeMin && x.TimeMax == y.TimeMax
            && x.Columns.SequenceEqual(y.Columns);

        public int GetHashCode(DataInspection obj) => obj.Rows;
    }
}
