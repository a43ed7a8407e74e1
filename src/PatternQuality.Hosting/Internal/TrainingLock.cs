using PatternQuality.Storage;

namespace PatternQuality.Hosting.Internal;

/// <summary>
/// One training at a time across processes sharing a <see cref="FileSystemModelStore"/>: an exclusive lock file in the
/// store directory, released by the OS if the process dies. Other stores cannot lock across processes (null lock).
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
        if (store is not FileSystemModelStore fs)
        {
            return null;
        }

        try
        {
            var file = new FileStream(Path.Combine(fs.Directory, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            return new TrainingLock(file, true);
        }
        catch (IOException)
        {
            return new TrainingLock(null, false);
        }
    }

    public void Dispose() => _file?.Dispose();
}
