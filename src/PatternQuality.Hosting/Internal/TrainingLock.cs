using PatternQuality.Storage;
using PatternQuality.Storage.Sqlite;

namespace PatternQuality.Hosting.Internal;

/// <summary>
/// One training at a time across processes sharing a <see cref="FileSystemModelStore"/> or a <see cref="SqliteModelStore"/>:
/// an exclusive lock file in the store directory (beside the database file), released by the OS if the process dies.
/// Other stores cannot lock across processes here (null lock).
/// </summary>
internal sealed class TrainingLock : IDisposable
{
    public const string FileName = "training.lock";

    private readonly FileStream? _file;

    private TrainingLock(FileStream? file, bool acquired)
    {
        _file = file;
        Acquired = acquired;
    }

    public bool Acquired { get; }

    public static TrainingLock? TryAcquire(IModelStore store)
    {
        var path = store switch
        {
            FileSystemModelStore fs => Path.Combine(fs.Directory, FileName),
            SqliteModelStore sqlite => sqlite.DatabasePath + "." + FileName,
            _ => null,
        };
        if (path is null)
        {
            return null;
        }

        try
        {
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            return new TrainingLock(file, true);
        }
        catch (IOException)
        {
            return new TrainingLock(null, false);
        }
    }

    public void Dispose() => _file?.Dispose();
}
