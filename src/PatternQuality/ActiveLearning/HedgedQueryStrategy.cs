namespace PatternQuality.ActiveLearning;

/// <summary>
/// Random sampling until the labels are enough for a stable model (<see cref="EventsPerFeature"/> examples of the
/// rarer class per feature), then an informed strategy (least-confident uncertainty by default).
/// </summary>
/// <remarks>
/// <para>
/// Why: uncertainty sampling trusts the current model to know where it is unsure. With few labels a 100-tree model
/// mostly fits noise, its uncertain band is in the wrong place, and asking there teaches less than a uniform sample:
/// on the numeric LightGBM example least-confident sampling fell 0.008 AUC below random at 600 labels, and started
/// after 10 random labels per feature it fell 0.011 below (docs/active-learning.md). So the strategy waits until the
/// labelled rows hold <see cref="EventsPerFeature"/> (10 by default) examples of the rarer class per feature: the
/// events-per-variable rule of thumb for a stable fitted model (Peduzzi et al. 1996), counted over the class that limits
/// what can be learnt, so a file with 10% positives warms up about five times longer than a balanced one.
/// </para>
/// <para>
/// During the warm-up the picks are exactly <see cref="RandomQueryStrategy"/>'s for the same round (same seed, same
/// candidates), so in a simulation the curve is random sampling's own until the switch: no gap at all by construction.
/// After the switch the informed strategy decides; that part carries no guarantee: on the LightGBM example the curve
/// still fell 0.008 below random's at one point after the switch (docs/active-learning.md has every binary file we
/// could build). A warm-up longer than the budget is random sampling.
/// </para>
/// </remarks>
public sealed class HedgedQueryStrategy : IQueryStrategy
{
    private readonly IQueryStrategy _informed;
    private readonly RandomQueryStrategy _random = new();

    /// <summary>Initializes a new hedged strategy.</summary>
    /// <param name="informed">The strategy used after the warm-up; <see langword="null"/> for least-confident uncertainty.</param>
    /// <param name="eventsPerFeature">Labelled examples of the rarer class per feature before the informed strategy is trusted (0 to 1,000; 0 skips the warm-up).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="eventsPerFeature"/> is out of range.</exception>
    public HedgedQueryStrategy(IQueryStrategy? informed = null, double eventsPerFeature = 10)
    {
        if (!(eventsPerFeature >= 0 && eventsPerFeature <= 1000))
        {
            throw new ArgumentOutOfRangeException(nameof(eventsPerFeature), eventsPerFeature, "Events per feature must be between 0 and 1,000.");
        }

        _informed = informed ?? new UncertaintyQueryStrategy();
        EventsPerFeature = eventsPerFeature;
    }

    /// <summary>Gets how many labelled examples of the rarer class per feature end the warm-up.</summary>
    public double EventsPerFeature { get; }

    /// <inheritdoc />
    public string Name => "hedged";

    /// <summary>Tells whether a round is still in the random warm-up.</summary>
    /// <param name="context">The round; needs <see cref="QueryContext.Labelled"/>.</param>
    /// <returns><see langword="true"/> while the labelled rows hold fewer than <see cref="EventsPerFeature"/> examples of the rarer class per feature.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The context has no labelled rows.</exception>
    public bool IsWarmingUp(QueryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var labelled = context.Labelled
            ?? throw new InvalidOperationException("The hedged strategy counts the labels so far: pass the labelled rows to the QueryContext.");
        var positives = 0;
        foreach (var label in labelled.Labels.Span)
        {
            if (label >= 0.5f)
            {
                positives++;
            }
        }

        var events = Math.Min(positives, labelled.RowCount - positives);
        return events < EventsPerFeature * context.Schema.Count;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The context has no labelled rows.</exception>
    public int[] Select(QueryContext context, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return IsWarmingUp(context)
            ? _random.Select(context, count, cancellationToken)
            : _informed.Select(context, count, cancellationToken);
    }
}
