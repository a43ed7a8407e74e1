using System.Globalization;

namespace PatternQuality.Versioning.Internal;

/// <summary>Writes a <see cref="PromotionDecision"/>'s evidence into a version's properties, so a listing shows why.</summary>
internal static class PromotionEvidence
{
    internal static void AddTo(IDictionary<string, string> properties, PromotionDecision d)
    {
        const string P = ModelPropertyNames.PromotionPrefix;
        properties[P + "promoted"] = d.Promoted ? "true" : "false";
        if (d.Rule is not null)
        {
            properties[P + "rule"] = d.Rule;
        }

        if (d.Method is not null)
        {
            properties[P + "method"] = d.Method;
        }

        properties[P + "positives"] = d.Positives.ToString(CultureInfo.InvariantCulture);
        properties[P + "negatives"] = d.Negatives.ToString(CultureInfo.InvariantCulture);
        Add(properties, P + "championAuc", d.ChampionAuc);
        Add(properties, P + "candidateAuc", d.CandidateAuc);
        Add(properties, P + "aucDelta", d.AucDelta);
        Add(properties, P + "aucDeltaLower", d.AucDeltaLower);
        Add(properties, P + "aucDeltaUpper", d.AucDeltaUpper);
        Add(properties, P + "championBrier", d.ChampionBrier);
        Add(properties, P + "candidateBrier", d.CandidateBrier);
        Add(properties, P + "brierImprovement", d.BrierImprovement);
        Add(properties, P + "championEce", d.ChampionEce);
        Add(properties, P + "candidateEce", d.CandidateEce);
        Add(properties, P + "eceImprovement", d.EceImprovement);
        Add(properties, P + "championLogLoss", d.ChampionLogLoss);
        Add(properties, P + "candidateLogLoss", d.CandidateLogLoss);
        Add(properties, P + "logLossDelta", d.LogLossDelta);
        Add(properties, P + "logLossDeltaUpper", d.LogLossDeltaUpper);
    }

    private static void Add(IDictionary<string, string> properties, string key, double value)
    {
        if (!double.IsNaN(value))
        {
            properties[key] = value.ToString("R", CultureInfo.InvariantCulture);
        }
    }
}
