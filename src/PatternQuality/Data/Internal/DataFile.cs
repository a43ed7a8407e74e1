using System.Globalization;
using System.Text;

namespace PatternQuality.Data.Internal;

/// <summary>Opens data files the loaders read: regular files only, as UTF-8 (or UTF-16 with a byte order mark).</summary>
internal static class DataFile
{
    /// <summary>Opens a regular file as text, counting invalid UTF-8 sequences in <paramref name="fallback"/>.</summary>
    public static StreamReader OpenText(string path, out CountingDecoderFallback fallback)
    {
        RegularDataFile.CheckReadable(path);
        fallback = new CountingDecoderFallback();
        var encoding = (Encoding)new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).Clone();
        encoding.DecoderFallback = fallback;
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
        return new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
    }

    /// <summary>The message for invalid UTF-8 at a 1-based character of a line.</summary>
    public static string InvalidUtf8Message(long column) => string.Create(CultureInfo.InvariantCulture,
        $"the file is not valid UTF-8 (invalid bytes at character {column} of the line); save it as UTF-8.");
}
