using System.Buffers.Binary;
using PatternQuality.Storage;
using PatternQuality.Storage.Internal;

namespace PatternQuality.Tests.Storage.Internal;

public sealed class ModelFileEnvelopeTests
{
    [Fact]
    public void Wrap_ThenUnwrap_ReturnsContentAndChecksum()
    {
        byte[] content = [1, 2, 3, 4, 5];

        var file = ModelFileEnvelope.Wrap(content, out var sha);

        Assert.Equal(ModelFileEnvelope.HeaderLength + content.Length, file.Length);
        Assert.Equal("PQMF"u8.ToArray(), file[..4]);
        Assert.Equal(64, sha.Length);
        Assert.Equal(content, ModelFileEnvelope.Unwrap(file, "m.pqm", sha).ToArray());
    }

    [Fact]
    public void Unwrap_NewerReaderRequired_ThrowsSayingUpgrade()
    {
        var file = ModelFileEnvelope.Wrap([1], out _);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(6), 2);

        var ex = Assert.Throws<ModelStoreCorruptedException>(() => ModelFileEnvelope.Unwrap(file, "m.pqm", null));

        Assert.Contains("Upgrade", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unwrap_ShorterThanHeader_ThrowsTruncated()
    {
        var ex = Assert.Throws<ModelStoreCorruptedException>(() => ModelFileEnvelope.Unwrap([0x50, 0x51], "m.pqm", null));

        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
        Assert.Equal("m.pqm", ex.FilePath);
    }
}
