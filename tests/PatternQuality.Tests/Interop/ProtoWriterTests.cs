using PatternQuality.Interop.Internal;

namespace PatternQuality.Tests.Interop;

/// <summary>The protobuf encodings against the examples of the protobuf encoding guide.</summary>
public class ProtoWriterTests
{
    [Fact]
    public void Varint_MatchesTheEncodingGuide()
    {
        var w = new ProtoWriter();
        w.WriteInt64(1, 150);
        Assert.Equal(new byte[] { 0x08, 0x96, 0x01 }, w.WrittenSpan.ToArray());
    }

    [Fact]
    public void NegativeInt64_TakesTenBytes()
    {
        var w = new ProtoWriter();
        w.WriteInt64(3, -1);
        Assert.Equal(new byte[] { 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, w.WrittenSpan.ToArray());
    }

    [Fact]
    public void StringsPackedIntsAndMessages_AreLengthDelimited()
    {
        var w = new ProtoWriter();
        w.WriteString(2, "testing");
        w.WritePackedInt64(4, [3, 270, 86942]);
        w.WritePackedInt64(5, []);
        w.WriteMessage(3, m => m.WriteInt64(1, 150));
        Assert.Equal(
            new byte[] { 0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67, 0x22, 0x06, 0x03, 0x8E, 0x02, 0x9E, 0xA7, 0x05, 0x1A, 0x03, 0x08, 0x96, 0x01 },
            w.WrittenSpan.ToArray());
    }
}
