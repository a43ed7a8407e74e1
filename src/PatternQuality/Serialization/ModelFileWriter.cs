using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace PatternQuality.Serialization;

/// <summary>Builds a model file from tagged sections (see <see cref="ModelFileFormat"/>).</summary>
internal sealed class ModelFileWriter
{
    private readonly List<(string Tag, byte[] Content)> _sections = [];

    /// <summary>Adds a section whose content is written by <paramref name="write"/>.</summary>
    public void AddSection(string tag, Action<BinaryWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            write(w);
        }

        AddSection(tag, ms.ToArray());
    }

    /// <summary>Adds a section with the given bytes.</summary>
    public void AddSection(string tag, byte[] content)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        ArgumentNullException.ThrowIfNull(content);
        if (tag.Length > ModelFileFormat.MaximumTagLength || !Ascii.IsValid(tag))
        {
            throw new ArgumentException($"Section tag '{tag}' must be ASCII and at most {ModelFileFormat.MaximumTagLength} characters.", nameof(tag));
        }

        if (_sections.Exists(s => s.Tag == tag))
        {
            throw new ArgumentException($"Section '{tag}' was already added.", nameof(tag));
        }

        _sections.Add((tag, content));
    }

    /// <summary>Returns the whole file.</summary>
    /// <exception cref="NotSupportedException">The file would be larger than one array can hold (about 2 GB).</exception>
    public byte[] ToArray() => ToArray(Array.MaxLength);

    /// <summary>Returns the whole file, refusing one longer than <paramref name="maximumLength"/> bytes before writing any.</summary>
    /// <remarks>The limit is a parameter only so that tests can reach the refusal without allocating 2 GB.</remarks>
    internal byte[] ToArray(long maximumLength)
    {
        // Readers parse a model from one array, so a larger file could never be loaded again: refuse it up front with
        // a clear message rather than fail deep inside MemoryStream.
        var total = (long)ModelFileFormat.HeaderLength + ModelFileFormat.ChecksumLength;
        foreach (var (tag, content) in _sections)
        {
            total += 1 + tag.Length + 4 + content.LongLength;
        }

        if (total > maximumLength)
        {
            throw new NotSupportedException($"The model file would be {total:N0} bytes; a model file holds at most {maximumLength:N0} bytes (fewer or smaller trees, or fewer categories, fit).");
        }

        using var ms = new MemoryStream((int)total);
        Span<byte> i4 = stackalloc byte[4];
        ms.Write(ModelFileFormat.Magic);
        WriteInt(ms, ModelFileFormat.CurrentVersion, i4);
        WriteInt(ms, ModelFileFormat.OldestReadableVersion, i4);
        WriteInt(ms, _sections.Count, i4);
        foreach (var (tag, content) in _sections)
        {
            ms.WriteByte((byte)tag.Length);
            ms.Write(Encoding.ASCII.GetBytes(tag));
            WriteInt(ms, content.Length, i4);
            ms.Write(content);
        }

        var body = ms.GetBuffer().AsSpan(0, (int)ms.Length);
        var hash = SHA256.HashData(body);
        ms.Write(hash);
        return ms.ToArray();
    }

    /// <summary>Writes the whole file to a stream.</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(ToArray());
    }

    private static void WriteInt(MemoryStream ms, int value, Span<byte> buffer)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer, value);
        ms.Write(buffer);
    }
}
