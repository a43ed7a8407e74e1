namespace PatternQuality.Online.Internal;

/// <summary>What one <see cref="IncrementalUpdater.Update"/> did.</summary>
/// <param name="Accepted">Whether the candidate replaced the current model.</param>
/// <param name="TreesAdded">How many trees the accepted candidate added (0 when rejected).</param>
/// <param name="HeldBackRows">How many of the newest rows judged the candidate (learned from by the next update).</param>
/// <param name="CurrentLoss">The current model's log loss on the held-back rows; NaN without a guard.</param>
/// <param name="CandidateLoss">The candidate's log loss on the held-back rows; NaN without a guard.</param>
/// <param name="Note">Why nothing was learned, or the candidate was rejected; <see langword="null"/> when all went as planned.</param>
/// <param name="ServedChanged">Whether the model to serve (updated or reference) is another object than before the update: publish it.</param>
/// <param name="ServesUpdated">Whether the model to serve is the updated one (otherwise the reference, which stands still).</param>
internal readonly record struct IncrementalUpdateOutcome(
    bool Accepted, int TreesAdded, int HeldBackRows, double CurrentLoss, double CandidateLoss, string? Note, bool ServedChanged = false, bool ServesUpdated = false);
