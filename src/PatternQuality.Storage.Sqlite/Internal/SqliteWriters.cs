using System.Collections.Concurrent;

namespace PatternQuality.Storage.Sqlite.Internal;

/// <summary>
/// One semaphore per database file in this process, shared by every model and feedback store on it: writers of one
/// process queue here asynchronously (cancellable, no thread blocked), so only one of them at a time waits in SQLite's
/// busy handler for writers of other processes (which sleeps in growing steps and would cost throughput if every
/// in-process writer polled it).
/// </summary>
internal static class SqliteWriters
{
    // Never disposed: without AvailableWaitHandle a SemaphoreSlim holds no unmanaged resource.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Writers = new(StringComparer.Ordinal);

    /// <summary>Gets the semaphore of the database at the full path <paramref name="databasePath"/>.</summary>
    public static SemaphoreSlim For(string databasePath) => Writers.GetOrAdd(databasePath, _ => new SemaphoreSlim(1, 1));
}
