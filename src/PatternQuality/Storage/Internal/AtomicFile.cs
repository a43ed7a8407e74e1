namespace PatternQuality.Storage.Internal;

/// <summary>Replaces a file all at once: write a temporary file in the same directory, flush it to disk, rename.</summary>
internal static class AtomicFile
{
    internal const string TempSuffix = ".tmp";

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> so that readers see the old file or the new one, never a part.</summary>
    /// <param name="path">The final path.</param>
    /// <param name="bytes">The content.</param>
    /// <param name="beforeRename">Called after the temporary file is durable and before the rename (fault injection in tests).</param>
    /// <param name="cancellationToken">Checked before the rename: a cancelled write leaves no trace.</param>
    internal static async Task WriteAsync(string path, ReadOnlyMemory<byte> bytes, Action? beforeRename, CancellationToken cancellationToken)
    {
        // Same directory as the target: rename is only atomic within one file system.
        var temp = path + "." + Guid.NewGuid().ToString("N") + TempSuffix;
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);

                // Flush(true) reaches the disk, not only the OS cache: the rename must never publish a file whose bytes are still in flight.
                stream.Flush(flushToDisk: true);
            }

            beforeRename?.Invoke();
            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is not SimulatedCrashException)
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Returns true for a temporary file named as <see cref="WriteAsync"/> names them (<c>&lt;name&gt;.&lt;32 hex digits&gt;.tmp</c>).</summary>
    /// <remarks>Clean-up deletes only these: a <c>.tmp</c> file someone else put in the store directory is not ours to remove.</remarks>
    internal static bool IsOwnTempFile(string path)
    {
        var name = Path.GetFileName(path.AsSpan());
        if (!name.EndsWith(TempSuffix, StringComparison.Ordinal) || name.Length < 34 + TempSuffix.Length)
        {
            return false;
        }

        var stem = name[..^TempSuffix.Length];
        var guid = stem[^32..];
        return stem[^33] == '.' && stem.Length > 33 && IsLowerHex(guid);
    }

    private static bool IsLowerHex(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary file is ignored by readers and removed by the next write.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
