using System.Globalization;
using Microsoft.Extensions.Options;

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
    public int FineTuneTrees { get; set; } = 50;

    /// <summary>Gets or sets the learning rate of the trees added during fine-tuning.</summary>
    /// <value>The default value is 0.05. Allowed: greater than 0, at most 1.</value>
    /// <remarks>Smaller than the usual 0.1 because feedback sets are small: each tree moves the pre-trained scores only a little.</remarks>
    public double FineTuneLearningRate { get; set; } = 0.05;

    /// <summary>Gets or sets the minimum number of feedback rows in a leaf of a fine-tuning tree.</summary>
    /// <value>The default value is 10. Allowed: 1 or more.</value>
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
    public double CorpusWeight { get; set; }

    /// <summary>Throws when a setting is out of range, naming every such setting and its allowed range.</summary>
    /// <exception cref="OptionsValidationException">One or more settings are out of range.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (FineTuneTrees is < 1 or > 100_000)
        {
            errors.Add($"{nameof(FineTuneTrees)} is {FineTuneTrees}; allowed: 1 to 100000.");
        }

        if (!(FineTuneLearningRate > 0 && FineTuneLearningRate <= 1))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(FineTuneLearningRate)} is {FineTuneLearningRate}; allowed: greater than 0, at most 1."));
        }

        if (FineTuneMinimumExampleCountPerLeaf < 1)
        {
            errors.Add($"{nameof(FineTuneMinimumExampleCountPerLeaf)} is {FineTuneMinimumExampleCountPerLeaf}; allowed: 1 or more.");
        }

        if (!(CorpusWeight >= 0 && CorpusWeight <= 1))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(CorpusWeight)} is {CorpusWeight}; allowed: 0 to 1."));
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(PretrainingOptions), typeof(PretrainingOptions), errors);
        }
    }
}
