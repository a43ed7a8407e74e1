using System.Globalization;
using PatternQuality.Versioning.Internal;

namespace PatternQuality.Versioning;

/// <summary>
/// The built-in quality gate (seed story 002): the candidate must not rank worse than the champion and must be
/// better calibrated, judged on the same fresh holdout.
/// </summary>
/// <remarks>
/// <para>The candidate is promoted when all of these hold:</para>
/// <list type="number">
/// <item><description>The holdout has at least <see cref="PromotionPolicyOptions.MinimumSamplesPerClass"/> positives and as many negatives; otherwise it is rejected, since nothing can be concluded.</description></item>
/// <item><description>
/// AUC is not worse beyond <see cref="PromotionPolicyOptions.AucTolerance"/>: the lower bound of the
/// <see cref="PromotionPolicyOptions.ConfidenceLevel"/> interval around <c>candidate AUC - champion AUC</c> (DeLong or paired
/// bootstrap) is at least <c>-AucTolerance</c>. This is a non-inferiority test: on a small holdout the interval is wide and a
/// candidate must show a better AUC to be trusted, which is the intent of "never ship a worse model".
/// </description></item>
/// <item><description>The Brier score or the expected calibration error improved by at least <see cref="PromotionPolicyOptions.MinimumRelativeImprovement"/> of the champion's value.</description></item>
/// </list>
/// <para>A candidate with the same ranking as the champion (identical AUC, an interval of zero width) but a Brier score 5% lower is therefore promoted.</para>
/// </remarks>
public sealed class DefaultPromotionPolicy : IPromotionPolicy
{
    private readonly PromotionPolicyOptions _options;

    /// <summary>Initializes a new instance of the <see cref="DefaultPromotionPolicy"/> class.</summary>
    /// <param name="options">The options, validated here; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it and the allowed range.</exception>
    public DefaultPromotionPolicy(PromotionPolicyOptions? options = null)
    {
        options ??= new PromotionPolicyOptions();
        options.Validate();

        // Copy: a caller changing its options object later must not change decisions behind this policy's back.
        _options = new PromotionPolicyOptions
        {
            AucTolerance = options.AucTolerance,
            MinimumRelativeImprovement = options.MinimumRelativeImprovement,
            MinimumSamplesPerClass = options.MinimumSamplesPerClass,
            Method = options.Method,
            BootstrapIterations = options.BootstrapIterations,
            ConfidenceLevel = options.ConfidenceLevel,
            Seed = options.Seed,
        };
    }

    /// <inheritdoc />
    public PromotionDecision Decide(in PromotionArguments arguments)
    {
        var (positives, negatives) = HoldoutValidation.Check(arguments.Labels.Span, arguments.ChampionScores.Span, arguments.CandidateScores.Span);
        var y = arguments.Labels.Span;
        var a = arguments.ChampionScores.Span;
        var b = arguments.CandidateScores.Span;
        var cancellationToken = arguments.CancellationToken;

        var championBrier = Evaluation.BinaryMetrics.Brier(y, a);
        var candidateBrier = Evaluation.BinaryMetrics.Brier(y, b);
        var championEce = Evaluation.BinaryMetrics.ExpectedCalibrationError(y, a);
        var candidateEce = Evaluation.BinaryMetrics.ExpectedCalibrationError(y, b);
        var evidence = new PromotionDecision(false, string.Empty)
        {
            Positives = positives,
            Negatives = negatives,
            ChampionBrier = championBrier,
            CandidateBrier = candidateBrier,
            BrierImprovement = RelativeImprovement(championBrier, candidateBrier),
            ChampionEce = championEce,
            CandidateEce = candidateEce,
            EceImprovement = RelativeImprovement(championEce, candidateEce),
        };

        var min = _options.MinimumSamplesPerClass;
        if (positives < min || negatives < min)
        {
            return evidence with
            {
                Reason = F($"Rejected: too few samples per class on the holdout ({positives} positives, {negatives} negatives); at least {min} of each are needed ({nameof(PromotionPolicyOptions)}.{nameof(PromotionPolicyOptions.MinimumSamplesPerClass)})."),
            };
        }

        var auc = _options.Method == AucComparisonMethod.DeLong
            ? DeLongComparer.Compare(y, a, b, _options.ConfidenceLevel)
            : PairedBootstrapComparer.Compare(y, a, b, _options.ConfidenceLevel, _options.BootstrapIterations, _options.Seed, cancellationToken);
        evidence = evidence with
        {
            Method = _options.Method.ToString(),
            ChampionAuc = auc.ChampionAuc,
            CandidateAuc = auc.CandidateAuc,
            AucDelta = auc.Delta,
            AucDeltaLower = auc.Lower,
            AucDeltaUpper = auc.Upper,
        };

        var aucText = F($"AUC {auc.CandidateAuc:0.0000} vs {auc.ChampionAuc:0.0000} (delta {auc.Delta:+0.0000;-0.0000}, {_options.ConfidenceLevel * 100:0.##}% interval [{auc.Lower:+0.0000;-0.0000}, {auc.Upper:+0.0000;-0.0000}], {_options.Method})");
        var calibrationText = F($"Brier {candidateBrier:0.0000} vs {championBrier:0.0000} ({evidence.BrierImprovement:+0.0%;-0.0%}), ECE {candidateEce:0.0000} vs {championEce:0.0000} ({evidence.EceImprovement:+0.0%;-0.0%})");
        var aucOk = auc.Lower >= -_options.AucTolerance;
        var required = _options.MinimumRelativeImprovement;
        var calibrationOk = evidence.BrierImprovement >= required || evidence.EceImprovement >= required;

        if (!aucOk)
        {
            return evidence with
            {
                Reason = F($"Rejected: AUC may be worse than the champion's beyond the {_options.AucTolerance} tolerance: {aucText}; {calibrationText}."),
            };
        }

        if (!calibrationOk)
        {
            return evidence with
            {
                Reason = F($"Rejected: neither Brier score nor calibration error improved by {required * 100:0.##}%: {calibrationText}; {aucText}."),
            };
        }

        return evidence with
        {
            Promoted = true,
            Reason = F($"Promoted: {aucText} is within the {_options.AucTolerance} tolerance, and calibration improved by at least {required * 100:0.##}%: {calibrationText}."),
        };
    }

    // (champion - candidate) / champion. Below 1e-6 a Brier score or calibration error is float rounding, not error:
    // dividing by it would report absurd percentages, so a champion that good counts as perfect and cannot be improved on.
    private static double RelativeImprovement(double champion, double candidate)
    {
        const double Negligible = 1e-6;
        return champion > Negligible ? (champion - candidate) / champion
            : candidate > Negligible ? double.NegativeInfinity
            : 0;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
