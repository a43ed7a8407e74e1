using System.Buffers.Binary;
using PatternQuality.Calibration;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Scoring;
using PatternQuality.Serialization;
using PatternQuality.Tests.TestUtils;
using PatternQuality.Training;

namespace PatternQuality.Tests.Serialization;

/// <summary>Values that load but cannot score a probability are rejected at load, naming the section (issue 18).</summary>
public class ModelContractTests
{
    private static readonly Lazy<byte[]> _model = new(() =>
    {
        using var csv = new TempFile(string.Join('\n', File.ReadLines(SharedData.Coupon).Take(401)));
        var load = CsvDatasetLoader.Load(csv.Path, new CsvLoadOptions { LabelColumn = "Y" });
        var trainer = new QualityTrainer(new QualityTrainerOptions
        {
            GradientBoosting = { NumberOfTrees = 4, NumberOfLeaves = 4 },
            Calibration = CalibrationMethod.Isotonic,
            CalibrationFolds = 2,
        });
        return trainer.TrainAsync(load).GetAwaiter().GetResult().Model.ToBytes();
    });

    [Fact]
    public void Load_IsotonicValueOutsideZeroOne_NamesCalibratorSection()
    {
        var ex = Assert.Throws<ModelFormatException>(() => QualityModel.Load(Patch("calibrator", c => BinaryPrimitives.WriteDoubleLittleEndian(c.AsSpan(2 + 4 + 8), 42.0))));
        Assert.Contains("'calibrator'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_IsotonicPointCountBeyondSection_RejectedBeforeAllocating()
    {
        var file = Patch("calibrator", c => BinaryPrimitives.WriteInt32LittleEndian(c.AsSpan(2), 100_000_000));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<ModelFormatException>(() => QualityModel.Load(file));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10L * file.Length + (1 << 20));
        Assert.Contains("points", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Load_NonFiniteBaseScore_NamesPredictorSection(double value)
    {
        var file = Patch("predictor", nested =>
        {
            var sections = ModelMutator.Split(nested);
            var k = sections.FindIndex(s => s.Tag == "trees");
            BinaryPrimitives.WriteDoubleLittleEndian(sections[k].Content.AsSpan(8), value);
            return ModelMutator.Join(sections);
        });
        var ex = Assert.Throws<ModelFormatException>(() => QualityModel.Load(file));
        Assert.Contains("'predictor'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("base score", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ColumnsThatDoNotRebuildTheSchema_NamesColumnsSection()
    {
        // The first column's name starts at byte 5 (int32 count, one length byte): rename it.
        var ex = Assert.Throws<ModelFormatException>(() => QualityModel.Load(Patch("columns", c => c[5] = (byte)'Z')));
        Assert.Contains("'columns'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NegativeStringLength_IsModelFormatException()
    {
        // A 7-bit encoded length of five 0xFF bytes is negative: BinaryReader throws IOException, which must not escape.
        var ex = Assert.Throws<ModelFormatException>(() => QualityModel.Load(Patch("info", c => c.AsSpan(0, 5).Fill(0xFF))));
        Assert.Contains("'info'", ex.Message, StringComparison.Ordinal);
    }

    private static byte[] Patch(string tag, Action<byte[]> patch) => Patch(tag, c =>
    {
        patch(c);
        return c;
    });

    private static byte[] Patch(string tag, Func<byte[], byte[]> patch)
    {
        var sections = ModelMutator.Split(_model.Value);
        var k = sections.FindIndex(s => s.Tag == tag);
        Assert.True(k >= 0, $"the seed model has no '{tag}' section.");
        sections[k] = (tag, patch((byte[])sections[k].Content.Clone()));
        return ModelMutator.Join(sections);
    }
}
