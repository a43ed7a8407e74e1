using PatternQuality.Online.Internal;

namespace PatternQuality.Tests.Online.Internal;

public class ServingTestTests
{
    [Fact]
    public void Observe_UpdatedAlwaysWorse_NeverServedAndSoonShownWorse()
    {
        var sut = new ServingTest(tolerance: 0.001, significance: 0.05);
        var random = new Random(1);
        for (var i = 0; i < 5_000; i++)
        {
            var reference = 0.5 + (random.NextDouble() * 0.2);
            sut.Observe(reference, reference + 0.02 + ((random.NextDouble() - 0.5) * 0.1), 1, servedUpdated: false);
            Assert.False(sut.UpdatedIsBetter);
        }

        Assert.True(sut.UpdatedIsWorse);
    }

    [Fact]
    public void Observe_EqualModelsOverALongStream_RarelyCallsEitherBetter()
    {
        // Mean-zero differences: the always-valid boundary may be crossed with probability about alpha over the whole
        // stream, checked after every 100-row batch; 40 independent streams of 20,000 rows.
        var crossed = 0;
        for (var stream = 0; stream < 40; stream++)
        {
            var sut = new ServingTest(0.001, 0.05);
            var random = new Random(stream);
            var any = false;
            for (var i = 0; i < 20_000; i++)
            {
                var noise = (random.NextDouble() - 0.5) * 0.4;
                sut.Observe(0.6 + noise, 0.6 - noise, 1, false);
                any |= i % 100 == 99 && (sut.UpdatedIsBetter || sut.UpdatedIsWorse);
            }

            crossed += any ? 1 : 0;
        }

        Assert.InRange(crossed, 0, 6); // 2 x alpha x 40 = 4 expected at most; 6 leaves room for the plug-in variance
    }

    [Fact]
    public void Observe_AdversarialUpdated_PaidExcessStaysWithinTheAllowancePlusOneBatch()
    {
        // The updated model looks clearly better for a while, then turns much worse, then better again, and so on;
        // the caller serves it exactly when the rule allows. Whatever the sequence, the excess paid for serving it
        // never exceeds tolerance x rows + one batch's excess.
        const double Tolerance = 0.001;
        const int Batch = 100;
        var sut = new ServingTest(Tolerance, 0.05);
        var random = new Random(7);
        var serve = false;
        var maxBatchExcess = 0.0;
        for (var b = 0; b < 2_000; b++)
        {
            var phase = b / 37 % 2 == 0 ? -0.05 : 0.3; // the updated model's excess loss per row in this phase
            var before = sut.ServedExcess;
            for (var i = 0; i < Batch; i++)
            {
                var reference = 0.4 + (random.NextDouble() * 0.4);
                sut.Observe(reference, reference + phase + ((random.NextDouble() - 0.5) * 0.2), 1, serve);
            }

            maxBatchExcess = Math.Max(maxBatchExcess, sut.ServedExcess - before);
            Assert.True(sut.ServedExcess <= (Tolerance * sut.StreamedWeight) + maxBatchExcess + 1e-9, $"batch {b}: {sut.ServedExcess}");
            if (sut.UpdatedIsWorse)
            {
                sut.ResetEvidence();
            }

            serve = sut.UpdatedLeads && sut.WithinBudget;
        }
    }

    [Fact]
    public void Reset_ForgetsEvidenceAndBudget()
    {
        var sut = new ServingTest(0.001, 0.05);
        for (var i = 0; i < 1_000; i++)
        {
            sut.Observe(1.0, 0.5 + (i % 7 * 0.01), 1, true);
        }

        Assert.True(sut.UpdatedIsBetter);
        sut.ResetEvidence();
        Assert.Equal(0, sut.Rows);
        Assert.True(sut.ServedExcess < 0);
        sut.Reset();
        Assert.Equal(0, sut.ServedExcess);
        Assert.Equal(0, sut.StreamedWeight);
        Assert.False(sut.UpdatedIsBetter);
    }

    [Theory]
    [InlineData(-0.1, 0.05)]
    [InlineData(0.001, 0)]
    [InlineData(0.001, 1)]
    public void Ctor_OutOfRange_Throws(double tolerance, double significance)
        => Assert.ThrowsAny<ArgumentOutOfRangeException>(() => new ServingTest(tolerance, significance));
}
