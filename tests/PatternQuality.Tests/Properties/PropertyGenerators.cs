using FsCheck;
using FsCheck.Fluent;

namespace PatternQuality.Tests.Properties;

/// <summary>FsCheck generators shared by the property tests: small labelled score sets with many ties.</summary>
internal static class PropertyGenerators
{
    /// <summary>200 cases per property: enough to hit ties, single-class and tiny inputs, quick on 2 cores.</summary>
    public static Config Config => Config.QuickThrowOnFailure.WithMaxTest(200);

    /// <summary>Labels with both classes present and scores on a coarse grid in [0, 1], so ties are common.</summary>
    public static Arbitrary<(float[] Labels, float[] Scores)> LabelledScores()
        => (from n in Gen.Choose(2, 60)
            from labels in Gen.ArrayOf(Gen.Elements(0f, 1f), n)
            from scores in Gen.ArrayOf(Gen.Choose(0, 20).Select(k => k / 20f), n)
            select (labels, scores))
            .Where(x => x.labels.Contains(0f) && x.labels.Contains(1f))
            .ToArbitrary();
}
