using System.Text;
using PatternQuality.Serialization;

namespace PatternQuality.Tests.Serialization;

public class ModelFileReaderTests
{
    [Fact]
    public void Parse_WrittenFile_ReturnsSectionsInOrder()
    {
        var sut = ModelFileReader.Parse(CreateFile());
        Assert.Equal(ModelFileFormat.CurrentVersion, sut.FormatVersion);
        Assert.Equal(["alpha", "beta"], sut.Tags);
        Assert.Equal(42, sut.ReadSection("alpha", r => r.ReadInt32()));
        Assert.Equal("hello", sut.ReadSection("beta", r => r.ReadString()));
    }

    [Fact]
    public void Parse_ForeignFile_SaysItIsNotAModelFile()
    {
        var ex = Assert.Throws<ModelFormatException>(() => ModelFileReader.Parse(Encoding.UTF8.GetBytes("{\"json\": true, \"not\": \"a model\"}")));
        Assert.Contains("not a PatternQuality model file", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ModelFormatException>(() => ModelFileReader.Parse([]));
    }

    [Fact]
    public void Parse_TruncatedAnywhere_SaysTruncatedAtByte()
    {
        var file = CreateFile();
        for (var length = 3; length < file.Length; length++)
        {
            var ex = Assert.Throws<ModelFormatException>(() => ModelFileReader.Parse(file[..length]));
            Assert.Contains($"truncated at byte {length}", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_FlippedContentByte_SaysChecksumMismatch()
    {
        var file = CreateFile();
        file[30] ^= 0x10; // inside the "alpha" content
        var ex = Assert.Throws<ModelFormatException>(() => ModelFileReader.Parse(file));
        Assert.Contains("checksum mismatch", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NewerVersion_SaysUnsupportedVersion()
    {
        var file = CreateFile();
        file[8] = 9;
        file[12] = 9;
        var ex = Assert.Throws<ModelFormatException>(() => ModelFileReader.Parse(file));
        Assert.Contains("Unsupported model file format version 9", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadSection_MissingSection_NamesIt()
    {
        var sut = ModelFileReader.Parse(CreateFile());
        var ex = Assert.Throws<ModelFormatException>(() => sut.ReadSection("trees", r => r.ReadInt32()));
        Assert.Contains("missing the required section 'trees'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadSection_ReaderRunsPastContent_SaysSectionEndsEarly()
    {
        var sut = ModelFileReader.Parse(CreateFile());
        var ex = Assert.Throws<ModelFormatException>(() => sut.ReadSection("alpha", r => r.ReadInt64()));
        Assert.Contains("section 'alpha' ends early", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSection_DuplicateTag_Throws()
    {
        var writer = new ModelFileWriter();
        writer.AddSection("a", [1]);
        Assert.Throws<ArgumentException>(() => writer.AddSection("a", [2]));
    }

    private static byte[] CreateFile()
    {
        var writer = new ModelFileWriter();
        writer.AddSection("alpha", w => w.Write(42));
        writer.AddSection("beta", w => w.Write("hello"));
        return writer.ToArray();
    }
}
