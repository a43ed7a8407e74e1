namespace PatternQuality.Versioning.Internal;

/// <summary>Two models' AUCs on the same rows and an interval around their difference.</summary>
internal readonly record struct AucComparison(double ChampionAuc, double CandidateAuc, double Lower, double Upper)
{
    public double Delta => CandidateAuc - ChampionAuc;
}
