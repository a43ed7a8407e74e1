namespace PatternQuality.Versioning;

/// <summary>Which rule <see cref="DefaultPromotionPolicy"/> applies once the holdout has enough rows of each class.</summary>
public enum PromotionRule
{
    /// <summary>
    /// The default: the candidate's AUC is non-inferior to the champion's within <see cref="PromotionPolicyOptions.AucTolerance"/>
    /// (a one-sided <see cref="PromotionPolicyOptions.ConfidenceLevel"/> lower bound on the paired AUC difference), and its
    /// per-row log loss is lower on a paired comparison (the one-sided upper bound of the mean per-row difference,
    /// candidate minus champion, is below zero). A better model is promoted even when its gain is small, as long as the
    /// holdout shows it; a model no better than the champion is not.
    /// </summary>
    PairedLogLoss,

    /// <summary>
    /// The seed's original rule (story 002), kept as a preset: the AUC is non-inferior within
    /// <see cref="PromotionPolicyOptions.AucTolerance"/> on a two-sided <see cref="PromotionPolicyOptions.ConfidenceLevel"/>
    /// interval, and the Brier score or the expected calibration error improved by at least
    /// <see cref="PromotionPolicyOptions.MinimumRelativeImprovement"/> of the champion's value. Stricter: it rejects
    /// candidates that are better by less than that fraction.
    /// </summary>
    RelativeImprovement,
}
