using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace PatternQuality.Versioning;

/// <summary>Options for <see cref="DefaultPromotionPolicy"/>.</summary>
/// <remarks>
/// Validated by the source-generated <see cref="PromotionPolicyOptionsValidator"/>: at host start-up
/// (<c>ValidateOnStart</c>) and by the policy's constructor alike, every problem in one <see cref="OptionsValidationException"/>.
/// </remarks>
public class PromotionPolicyOptions
{
    /// <summary>Gets or sets the rule that decides, once the holdout has enough rows of each class.</summary>
    /// <value>The default value is <see cref="PromotionRule.PairedLogLoss"/>.</value>
    /// <remarks>
    /// <see cref="PromotionRule.RelativeImprovement"/> restores the seed's "5% better Brier score or calibration error" rule.
    /// </remarks>
    [EnumDataType(typeof(PromotionRule), ErrorMessage = "The field {0} must be PairedLogLoss or RelativeImprovement.")]
    public PromotionRule Rule { get; set; } = PromotionRule.PairedLogLoss;

    /// <summary>Gets or sets how much lower than the champion's the candidate's AUC may be.</summary>
    /// <value>The default value is 0.005. Allowed: 0 to 0.5.</value>
    /// <remarks>
    /// Judged on the interval, not the point: the lower bound of the interval around
    /// <c>candidate AUC - champion AUC</c> must not fall below <c>-AucTolerance</c>.
    /// </remarks>
    [Range(0.0, 0.5)]
    public double AucTolerance { get; set; } = 0.005;

    /// <summary>Gets or sets the relative improvement of the Brier score or of the expected calibration error the candidate needs.</summary>
    /// <value>The default value is 0.05 (5%, as in seed story 002). Allowed: 0 to 1.</value>
    /// <remarks>
    /// Either metric improving by this fraction of the champion's value is enough. Used only by
    /// <see cref="PromotionRule.RelativeImprovement"/>.
    /// </remarks>
    [Range(0.0, 1.0)]
    public double MinimumRelativeImprovement { get; set; } = 0.05;

    /// <summary>Gets or sets how many positives and how many negatives the holdout must have at least.</summary>
    /// <value>The default value is 30. Allowed: 1 to 1000000.</value>
    /// <remarks>With fewer, the candidate is rejected whatever its scores.</remarks>
    [Range(1, 1_000_000)]
    public int MinimumSamplesPerClass { get; set; } = 30;

    /// <summary>Gets or sets how the interval around the AUC difference is computed.</summary>
    /// <value>The default value is <see cref="AucComparisonMethod.DeLong"/>.</value>
    [EnumDataType(typeof(AucComparisonMethod), ErrorMessage = "The field {0} must be DeLong or PairedBootstrap.")]
    public AucComparisonMethod Method { get; set; } = AucComparisonMethod.DeLong;

    /// <summary>Gets or sets the number of bootstrap resamples.</summary>
    /// <value>The default value is 1000. Allowed: 100 to 100000.</value>
    /// <remarks>Used only with <see cref="AucComparisonMethod.PairedBootstrap"/>.</remarks>
    [Range(100, 100_000)]
    public int BootstrapIterations { get; set; } = 1000;

    /// <summary>Gets or sets the confidence level of the gate's tests.</summary>
    /// <value>The default value is 0.95. Allowed: 0.5 to 0.9999.</value>
    /// <remarks>
    /// With <see cref="PromotionRule.PairedLogLoss"/> each test is one-sided at this level
    /// (the AUC's lower bound and the log loss difference's upper bound), so the recorded AUC interval is the two-sided
    /// interval at <c>2 * ConfidenceLevel - 1</c> (90% by default). With <see cref="PromotionRule.RelativeImprovement"/>
    /// the AUC interval is two-sided at this level, as before.
    /// </remarks>
    [Range(0.5, 0.9999)]
    public double ConfidenceLevel { get; set; } = 0.95;

    /// <summary>Gets or sets the seed of the bootstrap, so that a decision can be reproduced.</summary>
    /// <value>The default value is 20261123.</value>
    public int Seed { get; set; } = 20261123;
}

/// <summary>Checks the data annotations of <see cref="PromotionPolicyOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class PromotionPolicyOptionsValidator : IValidateOptions<PromotionPolicyOptions>;
