using FsCheck;
using FsCheck.Fluent;
using PatternQuality.Evaluation;

namespace PatternQuality.Tests.Properties;

/// <summary>Invariants of the ranking and probability metrics that hold for every input, not only the fixtures.</summary>
public class BinaryMetricsProperties
{
    [Fact]
    public void Auc_IsBetweenZeroAndOne_AndReversingScoresMirrorsIt()
        => Check.One(PropertyGenerators.Config, Prop.ForAll(PropertyGenerators.LabelledScores(), x =>
        {
            var auc = BinaryMetrics.Auc(x.Labels, x.Scores);
            var reversed = BinaryMetrics.Auc(x.Labels, x.Scores.Select(s => 1f - s).ToArray());
            return auc is >= 0 and <= 1 && Math.Abs(auc + reversed - 1) < 1e-9;
        }));

    [Fact]
    public void Auc_IsUnchangedByAStrictlyIncreasingTransform()
        => Check.One(PropertyGenerators.Config, Prop.ForAll(PropertyGenerators.LabelledScores(), x =>
        {
            var transformed = x.Scores.Select(s => (float)(3 * s * s * s - 1)).ToArray();
            return Math.Abs(BinaryMetrics.Auc(x.Labels, x.Scores) - BinaryMetrics.Auc(x.Labels, transformed)) < 1e-9;
        }));

    [Fact]
    public void Auc_IsUnchangedByRowOrder()
        => Check.One(PropertyGenerators.Config, Prop.ForAll(PropertyGenerators.LabelledScores(), x =>
        {
            var order = Enumerable.Range(0, x.Labels.Length).Reverse().ToArray();
            var labels = order.Select(i => x.Labels[i]).ToArray();
            var scores = order.Select(i => x.Scores[i]).ToArray();
            return Math.Abs(BinaryMetrics.Auc(x.Labels, x.Scores) - BinaryMetrics.Auc(labels, scores)) < 1e-9;
        }));

    [Fact]
    public void BrierAndLogLoss_AreNonNegative_AndBrierAtMostOne()
        => Check.One(PropertyGenerators.Config, Prop.ForAll(PropertyGenerators.LabelledScores(), x =>
        {
            var brier = BinaryMetrics.Brier(x.Labels, x.Scores);
            var logLoss = BinaryMetrics.LogLoss(x.Labels, x.Scores);
            return brier is >= 0 and <= 1 && logLoss >= 0;
        }));
}
