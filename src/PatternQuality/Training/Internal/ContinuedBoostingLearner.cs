using PatternQuality.Data;
using PatternQuality.Learning;
using PatternQuality.Trees;

namespace PatternQuality.Training.Internal;

/// <summary>
/// A learner whose every fit starts from the same pre-trained ensemble and adds trees on the given rows, so
/// cross-validation and out-of-fold calibration of a fine-tuned model treat the pre-training as fixed (it never saw
/// the feedback) and only the fine-tuning as learned.
/// </summary>
internal sealed class ContinuedBoostingLearner : ILearner
{
    private readonly TreeEnsembleModel _start;
    private readonly GradientBoostingLearner _learner;
    private readonly int _additionalTrees;
    private readonly Dataset? _corpus;
    private readonly float _corpusWeight;

    public ContinuedBoostingLearner(TreeEnsembleModel start, GradientBoostingOptions options, int additionalTrees, Dataset? corpus, double corpusWeight)
    {
        _start = start;
        _learner = new GradientBoostingLearner(options);
        _additionalTrees = additionalTrees;
        _corpus = corpusWeight > 0 ? corpus : null;
        _corpusWeight = (float)corpusWeight;
    }

    public string Name => "gbdt+pretrained";

    public TreeEnsembleModel Fit(Dataset training, Dataset? validation = null, CancellationToken cancellationToken = default)
    {
        var data = _corpus is null ? training : DatasetOps.Concat(training, _corpus, _corpusWeight);
        return _learner.ContinueTraining(_start, data, _additionalTrees, validation, cancellationToken);
    }

    IPredictor ILearner.Fit(Dataset training, Dataset? validation, CancellationToken cancellationToken) => Fit(training, validation, cancellationToken);

    /// <summary>A copy of <paramref name="source"/> with the fine-tuning settings of <paramref name="pretraining"/>.</summary>
    public static GradientBoostingOptions FineTuneOptions(GradientBoostingOptions source, PretrainingOptions pretraining)
    {
        var copy = new GradientBoostingOptions();
        // Copies every setting, including any the engine adds later, so fine-tuning inherits them.
        foreach (var p in typeof(GradientBoostingOptions).GetProperties())
        {
            if (p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0)
            {
                p.SetValue(copy, p.GetValue(source));
            }
        }

        copy.NumberOfTrees = pretraining.FineTuneTrees;
        copy.LearningRate = pretraining.FineTuneLearningRate;
        copy.MinimumExampleCountPerLeaf = pretraining.FineTuneMinimumExampleCountPerLeaf;
        copy.EarlyStoppingRounds = 0;
        return copy;
    }
}
