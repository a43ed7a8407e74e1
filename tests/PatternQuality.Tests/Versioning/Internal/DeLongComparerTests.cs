using PatternQuality.Versioning.Internal;

namespace PatternQuality.Tests.Versioning.Internal;

public sealed class DeLongComparerTests
{
    [Fact]
    public void Compare_SmallExample_AucsMatchPairCounting()
    {
        float[] labels = [1, 1, 1, 0, 0, 0, 0];
        float[] a = [0.9f, 0.4f, 0.6f, 0.4f, 0.2f, 0.7f, 0.1f];
        float[] b = [0.8f, 0.7f, 0.3f, 0.5f, 0.3f, 0.2f, 0.1f];

        var r = DeLongComparer.Compare(labels, a, b, 0.95);

        Assert.Equal(PairAuc(labels, a), r.ChampionAuc, 12);
        Assert.Equal(PairAuc(labels, b), r.CandidateAuc, 12);
        Assert.True(r.Lower < r.Delta && r.Delta < r.Upper);
    }

    [Fact]
    public void Compare_SameRanking_HasZeroWidthInterval()
    {
        float[] labels = [1, 0, 1, 0, 1, 0];
        float[] a = [0.9f, 0.1f, 0.6f, 0.7f, 0.3f, 0.2f];

        var r = DeLongComparer.Compare(labels, a, a.Select(x => x / 2).ToArray(), 0.95);

        Assert.Equal(0, r.Lower, 12);
        Assert.Equal(0, r.Upper, 12);
    }

    [Fact]
    public void Compare_RealCouponScores_IntervalWidthMatchesBootstrapSpread()
    {
        var labels = CouponHoldout.Labels;
        var good = CouponHoldout.GoodScores();
        var noisy = CouponHoldout.NoisyScores();

        var delong = DeLongComparer.Compare(labels, good, noisy, 0.95);
        var bootstrap = PairedBootstrapComparer.Compare(labels, good, noisy, 0.95, 500, 1, CancellationToken.None);

        Assert.Equal(delong.Upper - delong.Lower, bootstrap.Upper - bootstrap.Lower, 0.004);
    }

    private static double PairAuc(float[] labels, float[] scores)
    {
        double pairs = 0, wins = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            for (var j = 0; j < labels.Length; j++)
            {
                if (labels[i] == 1 && labels[j] == 0)
                {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }

        return wins / pairs;
    }
}
