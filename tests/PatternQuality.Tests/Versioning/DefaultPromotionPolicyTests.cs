using Microsoft.Extensions.Options;
using PatternQuality.Versioning;

namespace PatternQuality.Tests.Versioning;

public sealed class DefaultPromotionPolicyTests
{
    [Theory]
    [InlineData(AucComparisonMethod.DeLong)]
    [InlineData(AucComparisonMethod.PairedBootstrap)]
    public void Decide_DeliberatelyWorseCandidate_IsRejectedOnAuc(AucComparisonMethod method)
    {
        var sut = CreateSut(new PromotionPolicyOptions { Method = method });

        var d = sut.Decide(new PromotionArguments(CouponHoldout.Labels, CouponHoldout.GoodScores(), CouponHoldout.NoisyScores()));

        Assert.False(d.Promoted);
        Assert.StartsWith("Rejected: AUC may be worse", d.Reason, StringComparison.Ordinal);
        Assert.True(d.CandidateAuc < d.ChampionAuc - 0.02, $"{d.CandidateAuc} vs {d.ChampionAuc}");
        Assert.True(d.AucDeltaUpper < 0, d.Reason);

        // The champion's calibration error is float rounding away from 0: no improvement on it is possible.
        Assert.Equal(double.NegativeInfinity, d.EceImprovement);
        Assert.Equal(7210, d.Positives);
        Assert.Equal(12684 - 7210, d.Negatives);
        Assert.Equal(method.ToString(), d.Method);
    }

    [Theory]
    [InlineData(AucComparisonMethod.DeLong)]
    [InlineData(AucComparisonMethod.PairedBootstrap)]
    public void Decide_BetterCandidate_IsPromoted(AucComparisonMethod method)
    {
        var sut = CreateSut(new PromotionPolicyOptions { Method = method });

        var d = sut.Decide(new PromotionArguments(CouponHoldout.Labels, CouponHoldout.NoisyScores(), CouponHoldout.GoodScores()));

        Assert.True(d.Promoted, d.Reason);
        Assert.StartsWith("Promoted:", d.Reason, StringComparison.Ordinal);
        Assert.True(d.AucDeltaLower > 0, d.Reason);
        Assert.True(d.BrierImprovement >= 0.05, d.Reason);
    }

    [Fact]
    public void Decide_EqualAucBrierBetterByMoreThanThreshold_IsPromoted()
    {
        var good = CouponHoldout.GoodScores();
        var champion = CouponHoldout.Overconfident(good, 3);

        var d = CreateSut().Decide(new PromotionArguments(CouponHoldout.Labels, champion, good));

        Assert.True(d.Promoted, d.Reason);
        Assert.Equal(d.ChampionAuc, d.CandidateAuc, 12);
        Assert.Equal(0, d.AucDeltaLower, 12);
        Assert.True(d.BrierImprovement >= 0.05, d.Reason);
    }

    [Fact]
    public void Decide_RelativeImprovementPreset_EqualAucCalibrationBetterByLessThanThreshold_IsRejected()
    {
        // Pinned the old default's decision; the seed's 5% rule now lives in the RelativeImprovement preset.
        var good = CouponHoldout.GoodScores();
        var champion = CouponHoldout.Overconfident(good, 1.15);
        var candidate = CouponHoldout.Overconfident(good, 1.145);

        var d = CreateSut(new PromotionPolicyOptions { Rule = PromotionRule.RelativeImprovement }).Decide(new PromotionArguments(CouponHoldout.Labels, champion, candidate));

        Assert.False(d.Promoted, d.Reason);
        Assert.StartsWith("Rejected: neither Brier score nor calibration error improved by 5%", d.Reason, StringComparison.Ordinal);
        Assert.InRange(d.BrierImprovement, 0, 0.05);
        Assert.InRange(d.EceImprovement, 0, 0.05);
        Assert.Equal("RelativeImprovement", d.Rule);
    }

    [Fact]
    public void Decide_SameScores_IsRejectedBecauseLogLossIsNotLower()
    {
        var good = CouponHoldout.GoodScores();

        var d = CreateSut().Decide(new PromotionArguments(CouponHoldout.Labels, good, good.ToArray()));

        Assert.False(d.Promoted, d.Reason);
        Assert.StartsWith("Rejected: log loss is not lower than the champion's on the paired comparison", d.Reason, StringComparison.Ordinal);
        Assert.Equal(0, d.LogLossDelta, 12);
        Assert.Equal(0, d.LogLossDeltaUpper, 12);
        Assert.Equal("PairedLogLoss", d.Rule);
    }

    [Fact]
    public void Decide_LabelFlippedCandidate_IsRejectedOnAuc()
    {
        var good = CouponHoldout.GoodScores();

        var d = CreateSut().Decide(new PromotionArguments(CouponHoldout.Labels, good, good.Select(p => 1 - p).ToArray()));

        Assert.False(d.Promoted, d.Reason);
        Assert.StartsWith("Rejected: AUC may be worse than the champion's beyond the 0.005 margin", d.Reason, StringComparison.Ordinal);
        Assert.Equal(1 - d.ChampionAuc, d.CandidateAuc, 6);
        Assert.True(d.LogLossDelta > 0, d.Reason);
    }

    [Fact]
    public void Decide_SmallConsistentLogLossGain_IsPromoted()
    {
        // Same ranking, slightly less overconfident: a real gain far below 5% of the Brier score.
        var good = CouponHoldout.GoodScores();
        var champion = CouponHoldout.Overconfident(good, 1.3);
        var candidate = CouponHoldout.Overconfident(good, 1.2);
        var arguments = new PromotionArguments(CouponHoldout.Labels, champion, candidate);

        var d = CreateSut().Decide(arguments);

        Assert.True(d.Promoted, d.Reason);
        Assert.StartsWith("Promoted: AUC", d.Reason, StringComparison.Ordinal);
        Assert.Contains("one-sided 95% upper bound -", d.Reason, StringComparison.Ordinal);
        Assert.Contains("90% interval [", d.Reason, StringComparison.Ordinal);
        Assert.True(d.LogLossDeltaUpper < 0, d.Reason);
        Assert.True(d.CandidateLogLoss < d.ChampionLogLoss, d.Reason);
        Assert.InRange(d.BrierImprovement, 0, 0.05);
    }

    [Fact]
    public void Decide_LogLossBound_MatchesDirectComputation()
    {
        var labels = CouponHoldout.Labels;
        var champion = CouponHoldout.NoisyScores(3);
        var candidate = CouponHoldout.NoisyScores(4);

        var d = CreateSut(new PromotionPolicyOptions { AucTolerance = 0.5 }).Decide(new PromotionArguments(labels, champion, candidate));

        // Direct: per-row log loss (clipped at machine epsilon as scikit-learn does), paired differences, mean + z(0.95) * SE.
        const double Eps = 2.220446049250313e-16;
        static double Loss(float y, float p) => -Math.Log(y == 1 ? Math.Clamp(p, Eps, 1 - Eps) : 1 - Math.Clamp(p, Eps, 1 - Eps));
        var diffs = labels.Select((y, i) => Loss(y, candidate[i]) - Loss(y, champion[i])).ToArray();
        var mean = diffs.Average();
        var se = Math.Sqrt(diffs.Sum(x => (x - mean) * (x - mean)) / (diffs.Length - 1) / diffs.Length);
        Assert.Equal(mean, d.LogLossDelta, 9);
        Assert.Equal(mean + (1.6448536269514722 * se), d.LogLossDeltaUpper, 6);
        Assert.Equal(labels.Select((y, i) => Loss(y, champion[i])).Average(), d.ChampionLogLoss, 9);
    }

    [Fact]
    public void Decide_TooFewSamplesPerClass_IsRejectedWhateverTheScores()
    {
        var labels = CouponHoldout.Labels;
        var rows = Enumerable.Range(0, labels.Length).Where(i => labels[i] == 0).Take(100)
            .Concat(Enumerable.Range(0, labels.Length).Where(i => labels[i] == 1).Take(29)).ToArray();
        var noisy = CouponHoldout.NoisyScores();
        var good = CouponHoldout.GoodScores();

        var d = CreateSut().Decide(new PromotionArguments(rows.Select(i => labels[i]).ToArray(), rows.Select(i => noisy[i]).ToArray(), rows.Select(i => good[i]).ToArray()));

        Assert.False(d.Promoted);
        Assert.Contains("too few samples per class", d.Reason, StringComparison.Ordinal);
        Assert.Contains("29 positives, 100 negatives", d.Reason, StringComparison.Ordinal);
        Assert.Contains("MinimumSamplesPerClass", d.Reason, StringComparison.Ordinal);
        Assert.True(double.IsNaN(d.CandidateAuc));
        Assert.False(double.IsNaN(d.CandidateBrier));
    }

    [Fact]
    public void Decide_PairedBootstrap_IsReproducibleWithSeedAndAgreesWithDeLong()
    {
        var bootstrap = new PromotionPolicyOptions { Method = AucComparisonMethod.PairedBootstrap, BootstrapIterations = 400, Seed = 3 };
        var champion = CouponHoldout.GoodScores();
        var candidate = CouponHoldout.NoisyScores(11);

        var a = CreateSut(bootstrap).Decide(new PromotionArguments(CouponHoldout.Labels, champion, candidate));
        var b = CreateSut(bootstrap).Decide(new PromotionArguments(CouponHoldout.Labels, champion, candidate));
        var delong = CreateSut().Decide(new PromotionArguments(CouponHoldout.Labels, champion, candidate));

        Assert.Equal(a, b);
        Assert.Equal(delong.AucDelta, a.AucDelta, 12);
        Assert.Equal(delong.AucDeltaLower, a.AucDeltaLower, 0.005);
        Assert.Equal(delong.AucDeltaUpper, a.AucDeltaUpper, 0.005);
    }

    [Fact]
    public void Decide_InvalidHoldout_ThrowsNamingArrayAndRow()
    {
        var sut = CreateSut();

        var length = Assert.Throws<ArgumentException>(() => sut.Decide(new PromotionArguments(new float[] { 0, 1 }, new float[] { 0.1f, 0.2f }, new float[] { 0.1f })));
        var label = Assert.Throws<ArgumentException>(() => sut.Decide(new PromotionArguments(new float[] { 0, 2 }, new float[] { 0.1f, 0.2f }, new float[] { 0.1f, 0.2f })));
        var score = Assert.Throws<ArgumentException>(() => sut.Decide(new PromotionArguments(new float[] { 0, 1 }, new float[] { 0.1f, float.NaN }, new float[] { 0.1f, 0.2f })));
        var range = Assert.Throws<ArgumentException>(() => sut.Decide(new PromotionArguments(new float[] { 0, 1 }, new float[] { 0.1f, 0.2f }, new float[] { 1.5f, 0.2f })));
        var empty = Assert.Throws<ArgumentException>(() => sut.Decide(new PromotionArguments(Array.Empty<float>(), Array.Empty<float>(), Array.Empty<float>())));

        Assert.Equal("candidateScores", length.ParamName);
        Assert.Contains("labels[1] is 2", label.Message, StringComparison.Ordinal);
        Assert.Contains("championScores[1] is NaN", score.Message, StringComparison.Ordinal);
        Assert.Contains("candidateScores[0] is 1.5", range.Message, StringComparison.Ordinal);
        Assert.Contains("empty", empty.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(PromotionPolicyOptions.AucTolerance))]
    [InlineData(nameof(PromotionPolicyOptions.MinimumRelativeImprovement))]
    [InlineData(nameof(PromotionPolicyOptions.MinimumSamplesPerClass))]
    [InlineData(nameof(PromotionPolicyOptions.BootstrapIterations))]
    [InlineData(nameof(PromotionPolicyOptions.ConfidenceLevel))]
    [InlineData(nameof(PromotionPolicyOptions.Method))]
    [InlineData(nameof(PromotionPolicyOptions.Rule))]
    public void Constructor_InvalidOption_ThrowsNamingOptionAndRange(string option)
    {
        var options = new PromotionPolicyOptions();
        switch (option)
        {
            case nameof(PromotionPolicyOptions.AucTolerance): options.AucTolerance = double.NaN; break;
            case nameof(PromotionPolicyOptions.MinimumRelativeImprovement): options.MinimumRelativeImprovement = -0.1; break;
            case nameof(PromotionPolicyOptions.MinimumSamplesPerClass): options.MinimumSamplesPerClass = 0; break;
            case nameof(PromotionPolicyOptions.BootstrapIterations): options.BootstrapIterations = 10; break;
            case nameof(PromotionPolicyOptions.ConfidenceLevel): options.ConfidenceLevel = 1; break;
            case nameof(PromotionPolicyOptions.Rule): options.Rule = (PromotionRule)9; break;
            default: options.Method = (AucComparisonMethod)9; break;
        }

        var ex = Assert.Throws<OptionsValidationException>(() => new DefaultPromotionPolicy(options));

        Assert.Contains($"The field PromotionPolicyOptions.{option} must be ", Assert.Single(ex.Failures), StringComparison.Ordinal);
    }

    private static DefaultPromotionPolicy CreateSut(PromotionPolicyOptions? options = null) => new(options);
}
