namespace PatternQuality.Versioning;

/// <summary>
/// Decides whether a candidate model replaces the champion, from both models' scores on the same fresh holdout.
/// Replace it to apply another rule (a business metric, a shadow period); <see cref="DefaultPromotionPolicy"/> is the built-in one.
/// </summary>
/// <remarks>
/// <see cref="ModelVersionManager.ProposeAsync"/> calls the policy only for the champion that is active when the
/// decision is recorded, so a policy never judges against a champion that another process has since replaced.
/// </remarks>
public interface IPromotionPolicy
{
    /// <summary>Compares the candidate with the champion on one holdout.</summary>
    /// <param name="arguments">The holdout's labels and both models' scores.</param>
    /// <returns>The decision with its evidence.</returns>
    /// <exception cref="ArgumentException">The arrays differ in length, or hold a label other than 0 or 1, or a score that is not a probability.</exception>
    PromotionDecision Decide(in PromotionArguments arguments);
}
