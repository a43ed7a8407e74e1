namespace PatternQuality.Versioning;

/// <summary>How <see cref="DefaultPromotionPolicy"/> puts an interval around the difference of two AUCs on the same holdout.</summary>
public enum AucComparisonMethod
{
    /// <summary>DeLong's variance of the paired AUC difference with a normal interval: exact, fast, no randomness.</summary>
    DeLong,

    /// <summary>A paired bootstrap, resampling positives and negatives separately, with a percentile interval.</summary>
    PairedBootstrap,
}
