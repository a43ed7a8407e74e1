namespace PatternQuality.Versioning;

/// <summary>Options for <see cref="DefaultPromotionPolicy"/>.</summary>
public class PromotionPolicyOptions
{
    /// <summary>Gets or sets the rule that decides, once the holdout has enough rows of each class.</summary>
    /// <value>The default value is <see cref="PromotionRule.PairedLogLoss"/>.</value>
    /// <remarks>
    /// <see cref="PromotionRule.RelativeImprovement"/> restores the seed's "5% better Brier score or calibration error" rule.
    /// </remarks>
    public PromotionRule Rule { get; set; } = PromotionRule.PairedLogLoss;

    /// <summary>Gets or sets how much lower than the champion's the candidate's AUC may be.</summary>
    /// <value>The default value is 0.005.</value>
    /// <remarks>
    /// Must be between 0 and 0.5. Judged on the interval, not the point: the lower bound of the interval around
    /// <c>candidate AUC - champion AUC</c> must not fall below <c>-AucTolerance</c>.
    /// </remarks>
    public double AucTolerance { get; set; } = 0.005;

    /// <summary>Gets or sets the relative improvement of the Brier score or of the expected calibration error the candidate needs.</summary>
    /// <value>The default value is 0.05 (5%, as in seed story 002).</value>
    /// <remarks>
    /// Must be between 0 and 1. Either metric improving by this fraction of the champion's value is enough. Used only by
    /// <see cref="PromotionRule.RelativeImprovement"/>.
    /// </remarks>
    public double MinimumRelativeImprovement { get; set; } = 0.05;

    /// <summary>Gets or sets how many positives and how many negatives the holdout must have at least.</summary>
    /// <value>The default value is 30.</value>
    /// <remarks>Must be between 1 and 1000000. With fewer, the candidate is rejected whatever its scores.</remarks>
    public int MinimumSamplesPerClass { get; set; } = 30;

    /// <summary>Gets or sets how the interval around the AUC difference is computed.</summary>
    /// <value>The default value is <see cref="AucComparisonMethod.DeLong"/>.</value>
    public AucComparisonMethod Method { get; set; } = AucComparisonMethod.DeLong;

    /// <summary>Gets or sets the number of bootstrap resamples.</summary>
    /// <value>The default value is 1000.</value>
    /// <remarks>Must be between 100 and 100000. Used only with <see cref="AucComparisonMethod.PairedBootstrap"/>.</remarks>
    public int BootstrapIterations { get; set; } = 1000;

    /// <summary>Gets or sets the confidence level of the gate's tests.</summary>
    /// <value>The default value is 0.95.</value>
    /// <remarks>
    /// Must be between 0.5 and 0.9999. With <see cref="PromotionRule.PairedLogLoss"/> each test is one-sided at this level
    /// (the AUC's lower bound and the log loss difference's upper bound), so the recorded AUC interval is the two-sided
    /// interval at <c>2 * ConfidenceLevel - 1</c> (90% by default). With <see cref="PromotionRule.RelativeImprovement"/>
    /// the AUC interval is two-sided at this level, as before.
    /// </remarks>
    public double ConfidenceLevel { get; set; } = 0.95;

    /// <summary>Gets or sets the seed of the bootstrap, so that a decision can be reproduced.</summary>
    /// <value>The default value is 20261123.</value>
    public int Seed { get; set; } = 20261123;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentException">Settings are invalid; the message names each and its allowed range.</exception>
    internal void Validate()
    {
        var errors = new List<string>();
        const string Prefix = nameof(PromotionPolicyOptions) + ".";
        if (!(AucTolerance is >= 0 and <= 0.5))
        {
            errors.Add($"{Prefix}{nameof(AucTolerance)} is {AucTolerance}; it must be between 0 and 0.5.");
        }

        if (!(MinimumRelativeImprovement is >= 0 and <= 1))
        {
            errors.Add($"{Prefix}{nameof(MinimumRelativeImprovement)} is {MinimumRelativeImprovement}; it must be between 0 and 1.");
        }

        if (MinimumSamplesPerClass is < 1 or > 1_000_000)
        {
            errors.Add($"{Prefix}{nameof(MinimumSamplesPerClass)} is {MinimumSamplesPerClass}; it must be between 1 and 1000000.");
        }

        if (!Enum.IsDefined(Rule))
        {
            errors.Add($"{Prefix}{nameof(Rule)} is {(int)Rule}; it must be PairedLogLoss or RelativeImprovement.");
        }

        if (!Enum.IsDefined(Method))
        {
            errors.Add($"{Prefix}{nameof(Method)} is {(int)Method}; it must be DeLong or PairedBootstrap.");
        }

        if (BootstrapIterations is < 100 or > 100_000)
        {
            errors.Add($"{Prefix}{nameof(BootstrapIterations)} is {BootstrapIterations}; it must be between 100 and 100000.");
        }

        if (!(ConfidenceLevel is >= 0.5 and <= 0.9999))
        {
            errors.Add($"{Prefix}{nameof(ConfidenceLevel)} is {ConfidenceLevel}; it must be between 0.5 and 0.9999.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), "options");
        }
    }
}
