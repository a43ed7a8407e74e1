namespace PatternQuality.Online.Internal;

/// <summary>
/// Decides whether the incrementally updated model may be served instead of the reference (the last fully trained
/// model, which stands still): a sequential test on the per-row log-loss differences of both models on rows neither had
/// learned from, plus a budget on the loss actually paid for serving the updated model.
/// </summary>
/// <remarks>
/// <para>
/// Every streamed row is scored by both models before either learns from it, so d = w(loss(reference) - loss(updated))
/// is an unbiased, free holdout comparison. With S the sum of d since the updated model last started from the
/// reference, V the sum of squared deviations from their mean and n the row count, the normal-mixture boundary
/// b(n) = sqrt(V (1 + m/n) (2 ln(1/alpha) + ln((n + m)/m))) (Robbins' mixture with its prior scaled to m rows of the
/// plug-in variance) crosses a mean-zero martingale with probability at most alpha over the whole stream, so
/// looking after every batch does not inflate the error. S &gt; b says "updated is better" and S &lt; -b says
/// "updated is worse" (the updated model then restarts from the reference); in between nothing is known with confidence.
/// </para>
/// <para>
/// What is served follows the leader: the updated model while S &gt; 0 (it has lost less than the reference since it
/// last started from it), the reference otherwise. Waiting for S &gt; b instead would serve a weak first model for
/// hundreds of rows after a cold start, exactly when learning matters most; following the leader costs nothing in
/// expectation when the two models are equally good, and the budget below caps what it can cost when they are not.
/// </para>
/// <para>
/// The budget makes the promise unconditional: R, the summed excess loss of the updated model over the reference on
/// the rows where the updated model was served, may not exceed tolerance x (rows streamed since the reference was
/// installed) when a batch starts, so whatever the data do, R never exceeds that allowance plus one batch's excess.
/// </para>
/// </remarks>
internal sealed class ServingTest
{
    /// <summary>The rows of plug-in variance the mixture's prior is scaled to: the boundary is tightest around there.</summary>
    internal const int PriorRows = 500;

    /// <summary>No decision before this many compared rows: the plug-in variance of a handful of rows is not trustworthy.</summary>
    internal const int MinimumRows = 300;

    private readonly double _tolerance;
    private readonly double _logOneOverAlpha;
    private double _sum;
    private double _sumOfSquares;
    private long _rows;
    private double _servedExcess;
    private double _streamedWeight;

    public ServingTest(double tolerance, double significance)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(significance);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(significance, 1.0);
        _tolerance = tolerance;
        _logOneOverAlpha = Math.Log(1 / significance);
    }

    /// <summary>Gets the sum of the per-row differences (reference loss minus updated loss) since the evidence was last reset.</summary>
    public double Evidence => _sum;

    /// <summary>Gets how many rows the current evidence covers.</summary>
    public long Rows => _rows;

    /// <summary>Gets the summed excess loss of the updated model over the reference on the rows where it was served.</summary>
    public double ServedExcess => _servedExcess;

    /// <summary>Gets the summed weight of every row streamed since the reference was installed.</summary>
    public double StreamedWeight => _streamedWeight;

    /// <summary>Gets the current boundary b(n) the evidence must cross either way.</summary>
    public double Boundary
    {
        get
        {
            if (_rows == 0)
            {
                return 0;
            }

            var variance = Math.Max(0, _sumOfSquares - (_sum * _sum / _rows));
            var n = (double)_rows;
            return Math.Sqrt(variance * (1 + (PriorRows / n)) * ((2 * _logOneOverAlpha) + Math.Log((n + PriorRows) / PriorRows)));
        }
    }

    /// <summary>
    /// Gets whether the updated model leads: its summed loss since it last started from the reference is lower than the
    /// reference's on the same rows (no confidence claimed; the budget bounds what following the leader may cost).
    /// </summary>
    public bool UpdatedLeads => _sum > 0;

    /// <summary>Gets whether the evidence says, with confidence, that the updated model is better than the reference.</summary>
    public bool UpdatedIsBetter => _rows >= MinimumRows && _sum > Boundary;

    /// <summary>Gets whether the evidence says the updated model is worse than the reference.</summary>
    public bool UpdatedIsWorse => _rows >= MinimumRows && _sum < -Boundary;

    /// <summary>Gets whether serving the updated model for one more batch keeps the paid excess within its allowance.</summary>
    public bool WithinBudget => _servedExcess <= _tolerance * _streamedWeight;

    /// <summary>Records one row scored by both models before either learned from it.</summary>
    /// <param name="referenceLoss">The reference model's log loss on the row.</param>
    /// <param name="updatedLoss">The updated model's log loss on the row.</param>
    /// <param name="weight">The row's weight.</param>
    /// <param name="servedUpdated">Whether the updated model was the one served when the row was scored.</param>
    public void Observe(double referenceLoss, double updatedLoss, double weight, bool servedUpdated)
    {
        var d = weight * (referenceLoss - updatedLoss);
        _sum += d;
        _sumOfSquares += d * d;
        _rows++;
        _streamedWeight += weight;
        if (servedUpdated)
        {
            _servedExcess -= d;
        }
    }

    /// <summary>Forgets the comparison after the updated model restarted from the reference; the paid excess stays.</summary>
    public void ResetEvidence()
    {
        _sum = 0;
        _sumOfSquares = 0;
        _rows = 0;
    }

    /// <summary>Starts over after a new reference was installed.</summary>
    public void Reset()
    {
        ResetEvidence();
        _servedExcess = 0;
        _streamedWeight = 0;
    }
}
