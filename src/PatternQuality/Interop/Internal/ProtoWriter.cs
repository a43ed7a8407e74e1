using System.Buffers;
using System.Text;

namespace PatternQuality.Interop.Internal;

/// <summary>
/// The few protocol-buffer encodings an ONNX file needs (varints, length-delimited strings and bytes, packed repeated
/// integers and nested messages), written into a growable buffer. Tensor values go in TensorProto.raw_data as bytes.
/// </summary>
/// <remarks>
/// Writing protobuf by hand keeps the core package free of a Google.Protobuf dependency: an ONNX model is a handful
/// of message types whose field numbers are fixed by onnx.proto. A nested message is written into its own writer
/// first because its length prefix must come before its bytes.
/// </remarks>
internal sealed class ProtoWriter
{
    private const int Varint = 0;
    private const int LengthDelimited = 2;

    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    /// <summary>Writes a varint-encoded integer field (int32, int64, enum, bool). Negative values take ten bytes, as protobuf requires.</summary>
    public void WriteInt64(int field, long value)
    {
        WriteTag(field, Varint);
        WriteVarint((ulong)value);
    }

    public void WriteString(int field, string value) => WriteBytes(field, Encoding.UTF8.GetBytes(value));

    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, LengthDelimited);
        WriteVarint((ulong)value.Length);
        value.CopyTo(_buffer.GetSpan(value.Length));
        _buffer.Advance(value.Length);
    }

    /// <summary>Writes a repeated integer field packed (one length-delimited run of varints), which every protobuf parser accepts.</summary>
    public void WritePackedInt64(int field, IReadOnlyList<long> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        var packed = new ProtoWriter();
        for (var i = 0; i < values.Count; i++)
        {
            packed.WriteVarint((ulong)values[i]);
        }

        WriteBytes(field, packed.WrittenSpan);
    }

    /// <summary>Writes a nested message: <paramref name="write"/> fills it, then it is copied in behind its length.</summary>
    public void WriteMessage(int field, Action<ProtoWriter> write)
    {
        var nested = new ProtoWriter();
        write(nested);
        WriteBytes(field, nested.WrittenSpan);
    }

    private void WriteTag(int field, int wireType) => WriteVarint(((ulong)(uint)field << 3) | (uint)wireType);

    private void WriteVarint(ulong value)
    {
        var span = _buffer.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        _buffer.Advance(i);
    }
}
