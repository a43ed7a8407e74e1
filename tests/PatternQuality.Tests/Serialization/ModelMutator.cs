using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace PatternQuality.Tests.Serialization;

/// <summary>
/// Structure-aware mutations of a model file for the fuzz test: it takes the container apart, damages one section
/// (or a section of the nested predictor file), and puts it back together with every length and SHA-256 recomputed,
/// so the checksum cannot hide a parser bug. A few mutations are raw (no checksum repair) to exercise the container.
/// </summary>
internal static class ModelMutator
{
    private static readonly int[] _interestingInts = [0, -1, 1, 2, 7, 255, 0x7F, 0x80, 0xFFFF, 1 << 20, 1 << 24, 1 << 30, int.MaxValue, int.MinValue];
    private static readonly double[] _interestingDoubles = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 42, 3.8, -0.5, 2, 1e300, -1e300, 0];

    /// <summary>Returns a mutated copy of <paramref name="file"/>, deterministic in <paramref name="seed"/>.</summary>
    public static byte[] Mutate(byte[] file, int seed)
    {
        var random = new Random(seed);
        if (random.Next(10) == 0 || !CanSplit(file))
        {
            var raw = (byte[])file.Clone();
            MutateBytes(ref raw, random);
            return raw;
        }

        var sections = Split(file);
        var rounds = 1 + random.Next(3);
        for (var i = 0; i < rounds && sections.Count > 0; i++)
        {
            // A removal can empty the list; an empty container is still a valid input for the parser.
            var k = random.Next(sections.Count);
            var (tag, content) = sections[k];
            if (tag == "predictor" && random.Next(4) != 0)
            {
                content = Mutate(content, random.Next());
            }
            else if (random.Next(20) == 0)
            {
                sections.RemoveAt(k);
                continue;
            }
            else
            {
                MutateBytes(ref content, random);
            }

            sections[k] = (tag, content);
        }

        return Join(sections);
    }

    private static bool CanSplit(byte[] file)
    {
        try
        {
            Split(file);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// Splits a model file into its sections (the header is rebuilt by <see cref="Join"/>). A file whose counts or
    /// lengths do not fit inside it (a raw mutation of a nested file can give any header) throws
    /// <see cref="ArgumentException"/>: the mutator then falls back to raw byte mutation instead of allocating what a
    /// damaged count asks for.
    /// </summary>
    public static List<(string Tag, byte[] Content)> Split(byte[] file)
    {
        if (file.Length < 20)
        {
            throw new ArgumentException("Too short for a model container.", nameof(file));
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(16));
        // Each section needs at least a tag length byte and a 4-byte content length.
        if (count < 0 || count > (file.Length - 20) / 5)
        {
            throw new ArgumentException($"Section count {count} does not fit in {file.Length} bytes.", nameof(file));
        }

        var pos = 20;
        var list = new List<(string, byte[])>(count);
        for (var i = 0; i < count; i++)
        {
            if (pos >= file.Length)
            {
                throw new ArgumentException("Section header past the end.", nameof(file));
            }

            int tagLength = file[pos];
            if (pos + 1 + tagLength + 4 > file.Length)
            {
                throw new ArgumentException("Section tag past the end.", nameof(file));
            }

            var tag = Encoding.ASCII.GetString(file, pos + 1, tagLength);
            pos += 1 + tagLength;
            var length = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(pos));
            pos += 4;
            if (length < 0 || length > file.Length - pos)
            {
                throw new ArgumentException($"Section length {length} does not fit.", nameof(file));
            }

            list.Add((tag, file[pos..(pos + length)]));
            pos += length;
        }

        return list;
    }

    /// <summary>Builds a version-1 model file from sections, with a correct SHA-256.</summary>
    public static byte[] Join(List<(string Tag, byte[] Content)> sections)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.ASCII, leaveOpen: true))
        {
            w.Write("PQMODEL\0"u8);
            w.Write(1);
            w.Write(1);
            w.Write(sections.Count);
            foreach (var (tag, content) in sections)
            {
                w.Write((byte)tag.Length);
                w.Write(Encoding.ASCII.GetBytes(tag));
                w.Write(content.Length);
                w.Write(content);
            }
        }

        var hash = SHA256.HashData(ms.GetBuffer().AsSpan(0, (int)ms.Length));
        ms.Write(hash);
        return ms.ToArray();
    }

    private static void MutateBytes(ref byte[] content, Random random)
    {
        if (content.Length == 0)
        {
            content = [(byte)random.Next(256)];
            return;
        }

        var at = random.Next(content.Length);
        switch (random.Next(8))
        {
            case 0:
                content[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
            case 2:
                if (content.Length >= 4)
                {
                    var v = _interestingInts[random.Next(_interestingInts.Length)];
                    BinaryPrimitives.WriteInt32LittleEndian(content.AsSpan(Math.Min(at, content.Length - 4)), random.Next(4) == 0 ? random.Next() : v);
                }

                break;
            case 3:
            case 4:
                if (content.Length >= 8)
                {
                    var d = _interestingDoubles[random.Next(_interestingDoubles.Length)];
                    BinaryPrimitives.WriteDoubleLittleEndian(content.AsSpan(Math.Min(at, content.Length - 8)), d);
                }

                break;
            case 5:
                content = content[..at];
                break;
            case 6:
                var insert = new byte[1 + random.Next(16)];
                random.NextBytes(insert);
                content = [.. content[..at], .. insert, .. content[at..]];
                break;
            default:
                content[at] = (byte)random.Next(256);
                break;
        }
    }
}
