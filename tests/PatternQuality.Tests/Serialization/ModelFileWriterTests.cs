using PatternQuality.Serialization;

namespace PatternQuality.Tests.Serialization;

public class ModelFileWriterTests
{
    [Fact]
    public void ToArray_LargerThanTheFormatHolds_RefusedBeforeWritingNamingTheSize()
    {
        // The real limit is Array.MaxLength (about 2 GB); the overload with a limit reaches the same check without
        // allocating that much. Header 20 + checksum 32 + per section 1 + tag + 4 + content.
        var writer = new ModelFileWriter();
        writer.AddSection("alpha", new byte[1_000]);
        writer.AddSection("beta", new byte[2_000]);
        const long exact = 20 + 32 + (1 + 5 + 4 + 1_000) + (1 + 4 + 4 + 2_000);

        var ex = Assert.Throws<NotSupportedException>(() => writer.ToArray(exact - 1));

        Assert.Contains($"{exact:N0} bytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"at most {exact - 1:N0} bytes", ex.Message, StringComparison.Ordinal);
        Assert.Equal(exact, writer.ToArray(exact).Length);
    }

    [Fact]
    public void ToArray_UnderTheLimit_RoundTripsThroughTheReader()
    {
        var writer = new ModelFileWriter();
        writer.AddSection("alpha", w => w.Write(7));

        var reader = ModelFileReader.Parse(writer.ToArray());

        Assert.Equal(7, reader.ReadSection("alpha", r => r.ReadInt32()));
    }
}
