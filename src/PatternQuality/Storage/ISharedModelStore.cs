namespace PatternQuality.Storage;

/// <summary>
/// A model store that several host instances share (on several machines): besides <see cref="IModelStore"/>, it lets
/// exactly one instance train at a time, and tells the others promptly when a version is activated.
/// </summary>
/// <remarks>
/// The hosting package uses both when the registered store implements this interface (the PostgreSQL store does):
/// a retrain runs only while it holds the training lock, and the instance follows an activation as soon as it is
/// announced instead of at its next poll. Stores without it are polled, and a <see cref="FileSystemModelStore"/> is
/// locked with a file.
/// </remarks>
public interface ISharedModelStore : IModelStore
{
    /// <summary>Tries to take the store-wide training lock, without waiting.</summary>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>The held lock, to dispose when the training ends; <see langword="null"/> when another instance holds it.</returns>
    /// <remarks>The lock must be released when its holder's process dies, so a crashed trainer never blocks the others.</remarks>
    Task<IAsyncDisposable?> TryAcquireTrainingLockAsync(CancellationToken cancellationToken = default);

    /// <summary>Waits until a version of this store is activated (by any instance), or until <paramref name="timeout"/> passes.</summary>
    /// <param name="timeout">The longest wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>
    /// <see langword="true"/> when an activation was announced (or may have been missed, as when the store starts
    /// listening); <see langword="false"/> when the timeout passed (or the store could not listen). Callers read the active version afterwards either way, so a missed announcement costs
    /// at most one timeout.
    /// </returns>
    Task<bool> WaitForActivationAsync(TimeSpan timeout, CancellationToken cancellationToken = default);
}
