using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace PatternQuality.Serialization;

/// <summary>Reads and verifies a model file written by <see cref="ModelFileWriter"/>.</summary>
internal sealed class ModelFileReader
{
    private readonly Dictionary<string, ReadOnlyMemory<byte>> _sections;

    private ModelFileReader(int formatVersion, Dictionary<string, ReadOnlyMemory<byte>> sections, IReadOnlyList<string> tags)
    {
        FormatVersion = formatVersion;
        _sections = sections;
        Tags = tags;
    }

    /// <summary>Gets the format version the file was written with.</summary>
    public int FormatVersion { get; }

    /// <summary>Gets the section tags in file order.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>Reads a whole file from a stream.</summary>
    public static ModelFileReader Read(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        cancellationToken.ThrowIfCancellationRequested();
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        return Parse(ms.ToArray());
    }

    /// <summary>Parses and verifies a whole file.</summary>
    public static ModelFileReader Parse(byte[] file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var span = file.AsSpan();
        if (span.Length < ModelFileFormat.Magic.Length || !span[..ModelFileFormat.Magic.Length].SequenceEqual(ModelFileFormat.Magic))
        {
            if (span.Length < ModelFileFormat.Magic.Length && ModelFileFormat.Magic.StartsWith(span) && span.Length > 0)
            {
                throw Truncated(span.Length, "the signature");
            }

            throw new ModelFormatException("This is not a PatternQuality model file: the 'PQMODEL' signature is missing.");
        }

        if (span.Length < ModelFileFormat.HeaderLength)
        {
            throw Truncated(span.Length, "the header");
        }

        var written = BinaryPrimitives.ReadInt32LittleEndian(span[8..]);
        var minimumReader = BinaryPrimitives.ReadInt32LittleEndian(span[12..]);
        if (minimumReader > ModelFileFormat.CurrentVersion || written < ModelFileFormat.OldestReadableVersion)
        {
            throw new ModelFormatException(
                $"Unsupported model file format version {written} (it needs a reader of version {minimumReader} or later); " +
                $"this library reads versions {ModelFileFormat.OldestReadableVersion} to {ModelFileFormat.CurrentVersion}.");
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(span[16..]);
        if (count < 0)
        {
            throw new ModelFormatException($"The model file is corrupted: section count {count} at byte 16.");
        }

        var pos = ModelFileFormat.HeaderLength;
        var sections = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        var tags = new List<string>();
        for (var i = 0; i < count; i++)
        {
            if (pos + 1 > span.Length)
            {
                throw Truncated(span.Length, $"section {i}");
            }

            int tagLength = span[pos];
            if (tagLength == 0 || tagLength > ModelFileFormat.MaximumTagLength)
            {
                throw new ModelFormatException($"The model file is corrupted: section {i} has a tag length of {tagLength} at byte {pos}.");
            }

            if (pos + 1 + tagLength + 4 > span.Length)
            {
                throw Truncated(span.Length, $"section {i}");
            }

            var tagBytes = span.Slice(pos + 1, tagLength);
            if (!Ascii.IsValid(tagBytes))
            {
                throw new ModelFormatException($"The model file is corrupted: section {i} has a non-ASCII tag at byte {pos + 1}.");
            }

            var tag = Encoding.ASCII.GetString(tagBytes);
            pos += 1 + tagLength;
            var length = BinaryPrimitives.ReadInt32LittleEndian(span[pos..]);
            pos += 4;
            if (length < 0)
            {
                throw new ModelFormatException($"The model file is corrupted: section '{tag}' has a length of {length} at byte {pos - 4}.");
            }

            if ((long)pos + length > span.Length)
            {
                throw Truncated(span.Length, $"section '{tag}'");
            }

            if (!sections.TryAdd(tag, file.AsMemory(pos, length)))
            {
                throw new ModelFormatException($"The model file is corrupted: section '{tag}' appears twice.");
            }

            tags.Add(tag);
            pos += length;
        }

        if (pos + ModelFileFormat.ChecksumLength > span.Length)
        {
            throw Truncated(span.Length, "the checksum");
        }

        if (pos + ModelFileFormat.ChecksumLength < span.Length)
        {
            throw new ModelFormatException(
                $"The model file is corrupted: {span.Length - pos - ModelFileFormat.ChecksumLength} unexpected bytes after the checksum at byte {pos + ModelFileFormat.ChecksumLength}.");
        }

        Span<byte> hash = stackalloc byte[ModelFileFormat.ChecksumLength];
        SHA256.HashData(span[..pos], hash);
        if (!hash.SequenceEqual(span[pos..]))
        {
            throw new ModelFormatException("The model file is corrupted: checksum mismatch (the SHA-256 of the content does not match the one stored in the file).");
        }

        return new ModelFileReader(written, sections, tags);
    }

    /// <summary>Returns whether the file has a section.</summary>
    public bool HasSection(string tag) => _sections.ContainsKey(tag);

    /// <summary>Reads a required section with <paramref name="read"/>, turning short or malformed content into <see cref="ModelFormatException"/>.</summary>
    /// <remarks>
    /// A model file is data from outside: whatever <paramref name="read"/> throws while parsing it (an invalid string
    /// length, a value out of range, a nested reader's own exception) is a format problem of this section, so it is
    /// reported as <see cref="ModelFormatException"/> naming the section. Counts are bounded before allocating with
    /// <see cref="ReadCount"/>, so the content cannot ask for more memory than a small multiple of its own size.
    /// </remarks>
    public T ReadSection<T>(string tag, Func<BinaryReader, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (!_sections.TryGetValue(tag, out var content))
        {
            throw new ModelFormatException($"The model file is missing the required section '{tag}'.");
        }

        // Read in place: the section is a slice of the file's array, so no copy of it is made.
        using var ms = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
        using var r = new BinaryReader(ms, Encoding.UTF8);
        try
        {
            var result = read(r);
            if (ms.Position != ms.Length)
            {
                throw new ModelFormatException($"The model file section '{tag}' has {ms.Length - ms.Position} unexpected trailing bytes.");
            }

            return result;
        }
        catch (EndOfStreamException ex)
        {
            throw new ModelFormatException($"The model file section '{tag}' ends early (truncated at byte {ms.Position} of the section).", ex);
        }
        catch (ModelFormatException ex) when (!ex.Message.Contains($"'{tag}'", StringComparison.Ordinal))
        {
            throw new ModelFormatException($"The model file section '{tag}' is invalid: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is not ModelFormatException and not OperationCanceledException and not OutOfMemoryException)
        {
            throw new ModelFormatException($"The model file section '{tag}' is malformed: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Reads an int32 count of items that each take at least <paramref name="minimumBytesEach"/> bytes of the section,
    /// and rejects it when negative or when the rest of the section is too short to hold that many: the caller may
    /// then allocate for <c>count</c> items, bounded by the section's size.
    /// </summary>
    /// <exception cref="ModelFormatException">The count is negative or larger than the remaining bytes allow.</exception>
    public static int ReadCount(BinaryReader reader, int minimumBytesEach, string what)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var count = reader.ReadInt32();
        var stream = reader.BaseStream;
        var remaining = stream.CanSeek ? stream.Length - stream.Position : long.MaxValue;
        if (count < 0 || (long)count * Math.Max(1, minimumBytesEach) > remaining)
        {
            throw new ModelFormatException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{count} {what} are declared but only {remaining} bytes remain to hold them."));
        }

        return count;
    }

    /// <summary>Checks that a value read from a file is a finite number within +-<paramref name="limit"/>.</summary>
    /// <exception cref="ModelFormatException">The value is NaN, infinite or beyond the limit.</exception>
    public static double CheckFinite(double value, double limit, string what)
        => double.IsFinite(value) && Math.Abs(value) <= limit
            ? value
            : throw new ModelFormatException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{what} is {value}, not a finite number within +-{limit:G3}."));

    private static ModelFormatException Truncated(int length, string what)
        => new($"The model file is truncated at byte {length}: {what} is incomplete.");
}
