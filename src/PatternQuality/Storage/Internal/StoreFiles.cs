namespace PatternQuality.Storage.Internal;

/// <summary>
/// Reads the store's own files defensively: only regular files (a FIFO would block forever, a device never end), and
/// never more bytes than the caller can account for.
/// </summary>
internal static class StoreFiles
{
    /// <summary>The largest manifest read: about 100,000 versions with their metadata.</summary>
    internal const long MaxManifestBytes = 256L * 1024 * 1024;

    /// <summary>Reads a whole file that must be a regular file of at most <paramref name="maxBytes"/> bytes.</summary>
    /// <returns>The bytes, or <see langword="null"/> when the file does not exist.</returns>
    /// <exception cref="ModelStoreCorruptedException">The path is a directory, a FIFO, a device or a socket (or a symbolic link to one), empty, or too large.</exception>
    internal static async Task<byte[]?> ReadAsync(string path, long maxBytes, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path))
        {
            throw new ModelStoreCorruptedException(path, "it is a directory, not a file.");
        }

        FileSystemInfo info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            // Judge what the link points at: a link to /dev/zero must fail here, not after gigabytes of zeros.
            info = info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
            if (info is DirectoryInfo || Directory.Exists(info.FullName))
            {
                throw new ModelStoreCorruptedException(path, $"it is a symbolic link to the directory '{info.FullName}', not a file.");
            }

            info = new FileInfo(info.FullName);
        }

        if (!info.Exists)
        {
            return null;
        }

        // Only regular files have a size on Linux and macOS: FIFOs, devices and sockets report 0, and so does an empty
        // file. None of them is a valid store file, and opening a FIFO would block until someone writes to it.
        var length = ((FileInfo)info).Length;
        if (length == 0)
        {
            throw new ModelStoreCorruptedException(path, "it is empty, or not a regular file (a FIFO, a device or a socket).");
        }

        if (length > maxBytes)
        {
            throw new ModelStoreCorruptedException(path, $"it is {length:N0} bytes long, more than the {maxBytes:N0} bytes this store ever writes there.");
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            // The store replaces its files by rename: another process may have renamed a new version over the path
            // between the size check above and the open. The open handle holds one whole version; take its size.
            var opened = stream.Length;
            if (opened != length)
            {
                if (opened == 0 || opened > maxBytes)
                {
                    throw new ModelStoreCorruptedException(path, $"it was replaced while being opened by a file of {opened:N0} bytes, which this store never writes there.");
                }

                length = opened;
            }

            // Read at most that size plus one byte: a file that grows under us is reported, not followed.
            var buffer = new byte[length];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            var extra = new byte[1];
            if (read < buffer.Length || await stream.ReadAsync(extra, cancellationToken).ConfigureAwait(false) != 0)
            {
                throw new ModelStoreCorruptedException(path, $"it changed size while being read ({length:N0} bytes expected); it is being written by something other than this store.");
            }

            return buffer;
        }
    }
}
