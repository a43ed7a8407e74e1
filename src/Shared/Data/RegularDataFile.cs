namespace PatternQuality.Data.Internal;

/// <summary>
/// The check every data loader makes before it opens a file: the core's CSV and SVMlight loaders and the Parquet package
/// (a linked file, see src/Shared/README.md), so every format refuses the same paths with the same messages.
/// </summary>
internal static class RegularDataFile
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
}
