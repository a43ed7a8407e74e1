namespace PatternQuality.Storage.Internal;

/// <summary>
/// The store's cross-process writer lock: the <c>.lock</c> file opened with <see cref="FileShare.None"/>.
/// </summary>
/// <remarks>
/// On Linux and macOS .NET backs <see cref="FileShare.None"/> with an exclusive <c>flock</c>, on Windows with a share
/// mode; both are held per open handle, so two store instances in one process exclude each other as two processes do,
/// and the operating system releases the lock when a process dies. The file itself is never deleted: deleting it
/// while another process waits on it would let two writers hold two different files.
/// </remarks>
internal sealed class StoreFileLock : IDisposable
{
    private static readonly TimeSpan _firstDelay = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan _maxDelay = TimeSpan.FromMilliseconds(250);
    private readonly FileStream _stream;

    private StoreFileLock(FileStream stream)
    {
        _stream = stream;
    }

    /// <summary>Takes the lock, retrying with growing delays until <paramref name="timeout"/>.</summary>
    /// <exception cref="ModelStoreAccessException">The lock was not free within the timeout, or the directory cannot be written.</exception>
    internal static async Task<StoreFileLock> AcquireAsync(string directory, string lockPath, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        var delay = _firstDelay;
        var attempts = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            attempts++;
            try
            {
                var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                return new StoreFileLock(stream);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new ModelStoreAccessException(directory, $"The model store directory '{directory}' is not writable: cannot create or open its lock file '{lockPath}'.", ex);
            }
            catch (DirectoryNotFoundException ex)
            {
                throw new ModelStoreAccessException(directory, $"The model store directory '{directory}' does not exist.", ex);
            }
            catch (IOException ex) when (IsHeldElsewhere(ex))
            {
                var elapsed = time.GetElapsedTime(start);
                if (elapsed >= timeout)
                {
                    throw new ModelStoreAccessException(
                        directory,
                        $"Timed out after {elapsed.TotalSeconds:0.###} s ({attempts} attempts) waiting for the lock on the model store directory '{directory}': another writer holds '{lockPath}'. Raise {nameof(FileSystemModelStoreOptions)}.{nameof(FileSystemModelStoreOptions.LockTimeout)} or find the stuck writer.",
                        ex);
                }

                // Jitter keeps many waiters from retrying in lockstep.
                var jittered = delay * (0.5 + Random.Shared.NextDouble());
                var remaining = timeout - elapsed;
                await Task.Delay(jittered < remaining ? jittered : remaining, time, cancellationToken).ConfigureAwait(false);
                delay = delay * 2 < _maxDelay ? delay * 2 : _maxDelay;
            }
        }
    }

    public void Dispose() => _stream.Dispose();

    // Sharing violations surface as a plain IOException (Unix: EWOULDBLOCK from flock; Windows: ERROR_SHARING_VIOLATION 32,
    // ERROR_LOCK_VIOLATION 33). Anything else (disk full, read-only file system) is a real error and must not be retried.
    private static bool IsHeldElsewhere(IOException ex) =>
        ex.GetType() == typeof(IOException) && (OperatingSystem.IsWindows() ? (ex.HResult & 0xFFFF) is 32 or 33 : !IsReadOnlyFileSystem(ex));

    private static bool IsReadOnlyFileSystem(IOException ex) => ex.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase);
}
