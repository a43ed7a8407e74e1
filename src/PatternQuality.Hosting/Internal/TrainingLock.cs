using PatternQuality.Storage;
using PatternQuality.Storage.Sqlite;

namespace PatternQuality.Hosting.Internal;

/// <summary>
/// One training at a time across processes sharing a store: the store's own lock when it is an
/// <see cref="ISharedModelStore"/> (PostgreSQL: an advisory lock released when the session dies); an exclusive lock file
/// in the directory of a <see cref="FileSystemModelStore"/> or beside the file of a <see cref="SqliteModelStore"/>,
/// released by the OS if the process dies. Other stores cannot lock across processes here (null lock).
/// </summary>
internal sealed class TrainingLock : IAsyncDisposable
{
    public const string FileName = "training.lock";

    private readonly FileStream? _file;
    private readonly IAsyncDisposable? _shared;

    private TrainingLock(FileStream? file, IAsyncDisposable? shared, bool acquired)
    {
        _file = file;
        _shared = shared;
        Acquired = acquired;
    }

    public bool Acquired { get; }

    public static async Task<TrainingLock?> TryAcquireAsync(IModelStore store, CancellationToken cancellationToken)
    {
        if (store is ISharedModelStore shared)
        {
            var held = await shared.TryAcquireTrainingLockAsync(cancellationToken).ConfigureAwait(false);
            return new TrainingLock(null, held, held is not null);
        }

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
            return new TrainingLock(file, null, true);
        }
        catch (IOException)
        {
            return new TrainingLock(null, null, false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_file is not null)
        {
            await _file.DisposeAsync().ConfigureAwait(false);
        }

        if (_shared is not null)
        {
            await _shared.DisposeAsync().ConfigureAwait(false);
        }
    }
}
