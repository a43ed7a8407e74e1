using PatternQuality.Learning;

namespace PatternQuality.ActiveLearning;

/// <summary>
/// Query by committee: trains several models on bootstrap resamples of the labelled rows and chooses the candidates
/// they disagree on most (mean Kullback-Leibler divergence of each member from the committee's consensus).
/// </summary>
/// <remarks>
/// Needs <see cref="QueryContext.Labelled"/> and <see cref="QueryContext.Learner"/>. Disagreement measures what the
/// labelled data leaves open (model uncertainty), which a single model's probability near 0.5 conflates with noise
/// that no label can remove. Costs one training per member per round.
/// </remarks>
public sealed class CommitteeQueryStrategy : InformativenessQueryStrategy
{
    /// <summary>Initializes a new committee strategy.</summary>
    /// <param name="members">How many bootstrap models vote (2 to 50).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="members"/> is outside 2 to 50.</exception>
    public CommitteeQueryStrategy(int members = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(members, 50);
        Members = members;
    }

    /// <summary>Gets how many bootstrap models vote.</summary>
    public int Members { get; }

    /// <inheritdoc />
    public override string Name => "committee";

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The context has no labelled rows or no learner.</exception>
    public override double[] Informativeness(QueryContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var labelled = context.Labelled
            ?? throw new InvalidOperationException("Query by committee needs the labelled rows: pass them to the QueryContext.");
        var learner = context.Learner
            ?? throw new InvalidOperationException("Query by committee needs a learner to train its members: pass one to the QueryContext.");
        if (labelled.RowCount == 0)
        {
            throw new InvalidOperationException("Query by committee needs at least one labelled row.");
        }

        var votes = new float[Members][];
        var random = new Random(context.Seed);
        var sample = new int[labelled.RowCount];
        for (var m = 0; m < Members; m++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < sample.Length; i++)
            {
                sample[i] = random.Next(labelled.RowCount);
            }

            IPredictor member = learner.Fit(labelled.Select(sample), cancellationToken: cancellationToken);
            votes[m] = context.Predict(member);
        }

        var result = new double[context.Candidates.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var consensus = 0.0;
            for (var m = 0; m < Members; m++)
            {
                consensus += votes[m][i];
            }

            consensus = Clamp(consensus / Members);
            var divergence = 0.0;
            for (var m = 0; m < Members; m++)
            {
                var p = Clamp(votes[m][i]);
                divergence += (p * Math.Log(p / consensus)) + ((1 - p) * Math.Log((1 - p) / (1 - consensus)));
            }

            result[i] = Math.Max(0, divergence / Members);
        }

        return result;
    }

    // Keeps the logarithms finite for members that are certain.
    private static double Clamp(double p) => Math.Clamp(p, 1e-6, 1 - 1e-6);
}
