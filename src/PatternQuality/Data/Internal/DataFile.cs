using System.Globalization;
using System.Text;

namespace PatternQuality.Data.Internal;

/// <summary>Opens data files the loaders read: regular files only, as UTF-8 (or UTF-16 with a byte order mark).</summary>
internal static class DataFile
{
    /// <summary>Checks that <paramref name="path"/> is a regular file worth opening.</summary>
    /// <remarks>
    /// A FIFO would block the open until a writer appears and a device such as /dev/zero never ends. .NET reports
    /// neither as such, but on Linux and macOS both have a length of 0, as do sockets and block devices; an empty
    /// regular file holds no data either. So a length of 0 is refused before the file is opened.
    /// </remarks>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The path is a directory, or the file is empty or not a regular file.</exception>
    public static void CheckReadable(string path)
    {
        if (Directory.Exists(path))
        {
            throw new DataFormatException(path, null, null, "this is a directory, not a data file.");
        }

        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"The data file '{path}' does not exist.", path);
        }

        if (info.Length == 0)
        {
            throw new DataFormatException(path, null, null, "the file is empty, or is not a regular file (FIFOs, sockets and devices are not read).");
        }
    }

    /// <summary>Opens a regular file as text, counting invalid UTF-8 sequences in <paramref name="fallback"/>.</summary>
    public static StreamReader OpenText(string path, out CountingDecoderFallback fallback)
    {
        CheckReadable(path);
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
