using PatternQuality.Learning;
using PatternQuality.Trees;

namespace PatternQuality.ActiveLearning;

/// <summary>
/// Query by committee: trains several models on bootstrap resamples of the labelled rows and chooses the candidates
/// they disagree on most (mean Kullback-Leibler divergence of each member from the committee's consensus).
/// </summary>
/// <remarks>
/// Needs <see cref="QueryContext.Labelled"/> and <see cref="QueryContext.Learner"/>. Disagreement measures what the
/// labelled data leaves open (model uncertainty), which a single model's probability near 0.5 conflates with noise
/// that no label can remove.
/// <para>
/// A round costs one training per member, so members are kept small: with a <see cref="GradientBoostingLearner"/> each
/// member has <see cref="MemberTrees"/> trees and a learning rate raised so that trees x rate (the ensemble's total
/// step) stays the learner's; and only the <see cref="ShortlistSize"/> candidates the current model is least sure about
/// are scored by the committee (the others get informativeness 0), since a batch far smaller than the shortlist is
/// drawn from it anyway. Together these keep a round over 10,000 candidates with 2,000 labels near the cost of scoring
/// the pool once (docs/active-learning.md, "Query-round latency"). Other learners train their members unchanged.
/// </para>
/// </remarks>
public sealed class CommitteeQueryStrategy : InformativenessQueryStrategy
{
    /// <summary>Initializes a new committee strategy.</summary>
    /// <param name="members">How many bootstrap models vote (2 to 50).</param>
    /// <param name="memberTrees">Trees per member when the learner is a <see cref="GradientBoostingLearner"/> (1 to 10,000; at most the learner's own count is used).</param>
    /// <param name="shortlistSize">How many of the candidates the current model is least sure about the committee scores (1 to 1,000,000).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of its range.</exception>
    public CommitteeQueryStrategy(int members = 5, int memberTrees = 20, int shortlistSize = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(members, 50);
        ArgumentOutOfRangeException.ThrowIfLessThan(memberTrees, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(memberTrees, 10_000);
        ArgumentOutOfRangeException.ThrowIfLessThan(shortlistSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shortlistSize, 1_000_000);
        Members = members;
        MemberTrees = memberTrees;
        ShortlistSize = shortlistSize;
    }

    /// <summary>Gets the trees per member when the learner is a <see cref="GradientBoostingLearner"/>.</summary>
    public int MemberTrees { get; }

    /// <summary>Gets how many of the least sure candidates the committee scores; the rest get informativeness 0.</summary>
    public int ShortlistSize { get; }

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

        // The shortlist: the candidates the current model is least sure about, in a seeded tie order.
        var uncertainty = new UncertaintyQueryStrategy().Informativeness(context, cancellationToken);
        var order = Internal.Ranking.Descending(uncertainty, context.Seed);
        var shortlist = order[..Math.Min(ShortlistSize, order.Length)];
        var rows = context.CandidateRows(shortlist);
        var memberLearner = MemberLearner(learner);
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

            IPredictor member = memberLearner.Fit(labelled.Select(sample), cancellationToken: cancellationToken);
            votes[m] = new float[shortlist.Length];
            member.PredictProbability(rows, votes[m]);
        }

        var result = new double[context.Candidates.Count];
        for (var i = 0; i < shortlist.Length; i++)
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

            result[shortlist[i]] = Math.Max(0, divergence / Members);
        }

        return result;
    }

    private ILearner MemberLearner(ILearner learner)
    {
        if (learner is not GradientBoostingLearner boosting || boosting.Options.NumberOfTrees <= MemberTrees)
        {
            return learner;
        }

        var options = boosting.Options.Copy();
        options.LearningRate = Math.Min(1.0, boosting.Options.LearningRate * boosting.Options.NumberOfTrees / MemberTrees);
        options.NumberOfTrees = MemberTrees;
        options.EarlyStoppingRounds = 0;
        return new GradientBoostingLearner(options);
    }

    // Keeps the logarithms finite for members that are certain.
    private static double Clamp(double p) => Math.Clamp(p, 1e-6, 1 - 1e-6);
}
