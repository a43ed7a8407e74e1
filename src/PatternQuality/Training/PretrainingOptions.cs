using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PatternQuality.Internal;

namespace PatternQuality.Training;

/// <summary>
/// Settings of corpus pre-training: boost on a corpus of patterns with weak or synthetic labels, then continue boosting
/// on real user feedback (<see cref="QualityTrainer.PretrainAsync"/>, <see cref="QualityTrainer.FineTuneAsync"/>).
/// </summary>
public class PretrainingOptions
{
    /// <summary>Gets or sets the (maximum) number of trees added on the feedback during fine-tuning.</summary>
    /// <value>The default value is 50. Allowed: 1 to 100000.</value>
    /// <remarks>The corpus stage uses <see cref="QualityTrainerOptions.GradientBoosting"/> as is.</remarks>
    [Range(1, 100_000)]
    public int FineTuneTrees { get; set; } = 50;

    /// <summary>Gets or sets the learning rate of the trees added during fine-tuning.</summary>
    /// <value>The default value is 0.05. Allowed: greater than 0, at most 1.</value>
    /// <remarks>Smaller than the usual 0.1 because feedback sets are small: each tree moves the pre-trained scores only a little.</remarks>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double FineTuneLearningRate { get; set; } = 0.05;

    /// <summary>Gets or sets the minimum number of feedback rows in a leaf of a fine-tuning tree.</summary>
    /// <value>The default value is 10. Allowed: 1 or more.</value>
    [AtLeast(1)]
    public int FineTuneMinimumExampleCountPerLeaf { get; set; } = 10;

    /// <summary>
    /// Gets or sets a value indicating whether fine-tuning picks how many trees to add, from 0 to
    /// <see cref="FineTuneTrees"/>, by 5-fold out-of-fold log loss on the feedback.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    /// <remarks>
    /// A few dozen feedback rows should barely move the pre-trained model and a few thousand may move it far; a fixed
    /// count overfits the first or underuses the second. Selection costs five extra fine-tuning fits per fit (fine-tuning
    /// fits are small), and feedback with fewer than 20 rows always gets <see cref="FineTuneTrees"/> trees.
    /// </remarks>
    public bool SelectFineTuneTrees { get; set; } = true;

    /// <summary>
    /// Gets or sets the weight, relative to a feedback row, of corpus rows replayed into fine-tuning; 0 fine-tunes on
    /// feedback alone.
    /// </summary>
    /// <value>The default value is 0. Allowed: 0 to 1.</value>
    /// <remarks>
    /// Corpus labels are weak or synthetic, so they should count less than what users said. A small weight keeps the new
    /// trees from forgetting the corpus where feedback is thin.
    /// </remarks>
    [Range(0.0, 1.0)]
    public double CorpusWeight { get; set; }

    /// <summary>Throws when a setting is out of range, naming every such setting and its allowed range.</summary>
    /// <remarks>Runs <see cref="PretrainingOptionsValidator"/>, the source-generated validator a host runs on start.</remarks>
    /// <exception cref="OptionsValidationException">One or more settings are out of range; every one is listed.</exception>
    public void Validate() => OptionsValidation.ThrowIfInvalid(this, new PretrainingOptionsValidator());
}

/// <summary>Checks the data annotations of <see cref="PretrainingOptions"/>, generated at compile time (no reflection).</summary>
[OptionsValidator]
internal sealed partial class PretrainingOptionsValidator : IValidateOptions<PretrainingOptions>;
