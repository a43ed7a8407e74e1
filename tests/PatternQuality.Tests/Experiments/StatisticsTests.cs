using PatternQuality.Experiments;

namespace PatternQuality.Tests.Experiments;

public class StatisticsTests
{
    [Fact]
    public void ZTest_MatchesTheTextbookFormula()
    {
        // 200/1000 vs 250/1000: pooled p = 0.225, z = 0.05 / sqrt(0.225 * 0.775 * 0.002) = 2.67740; p = 0.007419.
        var r = ProportionTest.ZTest(200, 1000, 250, 1000);
        Assert.Equal(0.05, r.Difference, 12);
        Assert.Equal(2.67740, r.Statistic, 4);
        Assert.Equal(0.007419, r.PValue, 5);
        Assert.True(r.Significant);
        var se = Math.Sqrt((0.2 * 0.8 / 1000) + (0.25 * 0.75 / 1000));
        Assert.Equal(0.05 - (1.959964 * se), r.Lower, 5);
        Assert.False(ProportionTest.ZTest(200, 1000, 205, 1000).Significant);
        Assert.True(double.IsNaN(ProportionTest.ZTest(0, 0, 1, 2).Difference));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProportionTest.ZTest(5, 4, 1, 2));
    }

    [Fact]
    public void SampleRatio_FlagsA5000To5400Split_ButNotAnEvenOne()
    {
        var even = SampleRatioMismatch.Check([5000, 5010], [1, 1]);
        Assert.False(even.Mismatch);
        var skewed = SampleRatioMismatch.Check([5000, 5400], [1, 1]);
        Assert.Equal(15.3846, skewed.ChiSquare, 3);
        Assert.Equal(8.77e-5, skewed.PValue, 6);
        Assert.True(skewed.Mismatch);

        // Chi-square critical values: 3.841 (1 df) and 5.991 (2 df) are the 5% points.
        var df2 = SampleRatioMismatch.Check([1000, 1000, 1000], [1, 1, 1]);
        Assert.Equal(1.0, df2.PValue, 6);
        Assert.Throws<ArgumentException>(() => SampleRatioMismatch.Check([1], [1]));
        Assert.Throws<ArgumentException>(() => SampleRatioMismatch.Check([1, -1], [1, 1]));
    }

    [Fact]
    public void ChiSquareTail_MatchesTables()
    {
        Assert.Equal(0.05, PatternQuality.Experiments.Internal.StatMath.ChiSquareUpperTail(3.841459, 1), 5);
        Assert.Equal(0.05, PatternQuality.Experiments.Internal.StatMath.ChiSquareUpperTail(5.991465, 2), 5);
        Assert.Equal(0.01, PatternQuality.Experiments.Internal.StatMath.ChiSquareUpperTail(23.209251, 10), 5);
        Assert.Equal(1.959964, PatternQuality.Experiments.Internal.StatMath.NormalQuantile(0.975), 5);
    }

    [Fact]
    public void Sequential_DailyPeeks_KeepsFalsePositivesBelowAlpha_AndHasPower()
    {
        // 400 simulated 30-day experiments per scenario keep this test under a few seconds; the benchmark runs 2,000
        // (docs/experiments.md). Tolerances are 2.5 binomial standard errors at 400 simulations.
        var nullRun = ExperimentSimulation.Run(400, baseRate: 0.2, relativeLift: 0, usersPerArm: 20_000, days: 30, seed: 1);
        Assert.True(nullRun.SequentialRejectRate <= 0.05 + (2.5 * Math.Sqrt(0.05 * 0.95 / 400)), $"sequential FPR {nullRun.SequentialRejectRate}");

        // Peeking at the fixed-horizon z-test every day is what the sequential test fixes: it rejects far too often.
        Assert.True(nullRun.PeekingZRejectRate > 0.1, $"peeking z-test FPR {nullRun.PeekingZRejectRate}");
        var lift = ExperimentSimulation.Run(400, baseRate: 0.2, relativeLift: 0.1, usersPerArm: 20_000, days: 30, seed: 2);
        Assert.True(lift.SequentialRejectRate >= 0.8 - (2.5 * Math.Sqrt(0.8 * 0.2 / 400)), $"sequential power {lift.SequentialRejectRate}");
    }

    [Fact]
    public void Sequential_PValueNeverRises_AndIntervalOnlyShrinks()
    {
        var test = new SequentialProportionTest();
        var previous = test.Update(0, 0, 0, 0);
        var random = new Random(3);
        long cs = 0, ct = 0, ts = 0, tt = 0;
        for (var day = 0; day < 30; day++)
        {
            for (var i = 0; i < 300; i++)
            {
                cs += random.NextDouble() < 0.2 ? 1 : 0;
                ts += random.NextDouble() < 0.2 ? 1 : 0;
            }

            ct += 300;
            tt += 300;
            var r = test.Update(cs, ct, ts, tt);
            Assert.True(r.PValue <= previous.PValue);
            Assert.True(r.Lower >= previous.Lower && r.Upper <= previous.Upper);
            previous = r;
        }

        Assert.Equal(31, test.Peeks);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SequentialProportionTest(mixtureStandardDeviation: 0));
    }
}

/// <summary>Simulated A/B tests with daily peeks: users arrive evenly over the days, each converts once with its arm's rate.</summary>
internal static class ExperimentSimulation
{
    public static (double SequentialRejectRate, double PeekingZRejectRate, double FinalZRejectRate) Run(
        int experiments, double baseRate, double relativeLift, int usersPerArm, int days, int seed)
    {
        var random = new Random(seed);
        int sequential = 0, peeking = 0, final = 0;
        var perDay = usersPerArm / days;
        for (var e = 0; e < experiments; e++)
        {
            var test = new SequentialProportionTest();
            long cs = 0, ts = 0, n = 0;
            bool seqRejected = false, peekRejected = false;
            for (var d = 0; d < days; d++)
            {
                for (var i = 0; i < perDay; i++)
                {
                    cs += random.NextDouble() < baseRate ? 1 : 0;
                    ts += random.NextDouble() < baseRate * (1 + relativeLift) ? 1 : 0;
                }

                n += perDay;
                seqRejected |= test.Update(cs, n, ts, n).Significant;
                peekRejected |= ProportionTest.ZTest(cs, n, ts, n).Significant;
            }

            sequential += seqRejected ? 1 : 0;
            peeking += peekRejected ? 1 : 0;
            final += ProportionTest.ZTest(cs, n, ts, n).Significant ? 1 : 0;
        }

        return ((double)sequential / experiments, (double)peeking / experiments, (double)final / experiments);
    }
}
