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

    [Fact]
    public void Compare_RealCouponScores_VarianceMatchesBruteForceDeLong()
    {
        // Golden: DeLong et al. (1988) written out pair by pair, O(m n), on 1,500 real coupon rows with heavy ties
        // (the good score has few distinct values), against the mid-rank O(n log n) implementation.
        var rows = Enumerable.Range(0, CouponHoldout.Labels.Length).Where(i => i % 8 == 0).Take(1500).ToArray();
        var labels = rows.Select(i => CouponHoldout.Labels[i]).ToArray();
        var good = CouponHoldout.GoodScores();
        var noisy = CouponHoldout.NoisyScores();
        var a = rows.Select(i => good[i]).ToArray();
        var b = rows.Select(i => noisy[i]).ToArray();

        var r = DeLongComparer.Compare(labels, a, b, 0.95);

        var (aucA, aucB, variance) = BruteForceDeLong(labels, a, b);
        var half = 1.959963984540054 * Math.Sqrt(variance);
        Assert.Equal(aucA, r.ChampionAuc, 12);
        Assert.Equal(aucB, r.CandidateAuc, 12);
        Assert.Equal(aucB - aucA - half, r.Lower, 6);
        Assert.Equal(aucB - aucA + half, r.Upper, 6);
        Assert.True(half > 0.01, $"half-width {half}");
    }

    /// <summary>Structural components from the kernel psi(x, y) = 1 if x &gt; y, 1/2 if equal, 0 otherwise, then S10/m + S01/n on the difference.</summary>
    private static (double AucA, double AucB, double Variance) BruteForceDeLong(float[] labels, float[] a, float[] b)
    {
        var pos = Enumerable.Range(0, labels.Length).Where(i => labels[i] == 1).ToArray();
        var neg = Enumerable.Range(0, labels.Length).Where(i => labels[i] == 0).ToArray();
        static double Psi(float x, float y) => x > y ? 1 : x == y ? 0.5 : 0;
        double[] V10(float[] s) => pos.Select(i => neg.Average(j => Psi(s[i], s[j]))).ToArray();
        double[] V01(float[] s) => neg.Select(j => pos.Average(i => Psi(s[i], s[j]))).ToArray();
        var (v10a, v10b, v01a, v01b) = (V10(a), V10(b), V01(a), V01(b));
        var diff10 = v10b.Zip(v10a, (x, y) => x - y).ToArray();
        var diff01 = v01b.Zip(v01a, (x, y) => x - y).ToArray();
        static double Var(double[] x)
        {
            var mean = x.Average();
            return x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1);
        }

        return (v10a.Average(), v10b.Average(), (Var(diff10) / pos.Length) + (Var(diff01) / neg.Length));
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
