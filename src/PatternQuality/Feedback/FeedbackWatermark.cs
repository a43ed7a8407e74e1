namespace PatternQuality.Feedback;

/// <summary>
/// A position in a feedback stream: everything at or before it has been learned from.
/// </summary>
/// <remarks>
/// A feedback source assigns every record a <see cref="FeedbackRecord{TPattern}.Sequence"/> that only grows
/// (a row number, a database identity column, a log offset). A learner stores the sequence of the last record it has
/// learned from with each model version, and after a restart asks the source for the records after it, so that no
/// record is lost and none is counted twice.
/// </remarks>
/// <param name="Sequence">The sequence number of the last record consumed; -1 before the first.</param>
public readonly record struct FeedbackWatermark(long Sequence)
{
    /// <summary>Gets the watermark before the first record of any stream.</summary>
    public static FeedbackWatermark Start { get; } = new(-1);

    /// <summary>Returns whether a record with the given sequence comes after this watermark.</summary>
    /// <param name="sequence">A record's sequence number.</param>
    /// <returns><see langword="true"/> when the record has not been consumed yet.</returns>
    public bool IsBefore(long sequence) => sequence > Sequence;

    /// <inheritdoc />
    public override string ToString() => Sequence < 0 ? "start" : Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
