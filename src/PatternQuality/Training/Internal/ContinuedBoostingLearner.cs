using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Learning;
using PatternQuality.Trees;
using PatternQuality.Validation;

namespace PatternQuality.Training.Internal;

/// <summary>
/// A learner whose every fit starts from the same pre-trained ensemble and adds trees on the given rows, so
/// cross-validation and out-of-fold calibration of a fine-tuned model treat the pre-training as fixed (it never saw
/// the feedback) and only the fine-tuning as learned.
/// </summary>
internal sealed class ContinuedBoostingLearner : ILearner
{
    // Fewer rows than this cannot be split into folds that each hold a useful test part; fine-tune with the maximum.
    private const int MinimumRowsToSelect = 20;
    private const int SelectionFolds = 5;

    private readonly TreeEnsembleModel _start;
    private readonly GradientBoostingOptions _options;
    private readonly int _maximumTrees;
    private readonly bool _selectTrees;
    private readonly int _seed;
    private readonly Dataset? _corpus;
    private readonly float _corpusWeight;

    public ContinuedBoostingLearner(TreeEnsembleModel start, GradientBoostingOptions options, PretrainingOptions pretraining, Dataset? corpus, int seed)
    {
        _start = start;
        _options = options;
        _maximumTrees = pretraining.FineTuneTrees;
        _selectTrees = pretraining.SelectFineTuneTrees;
        _seed = seed;
        _corpus = pretraining.CorpusWeight > 0 ? corpus : null;
        _corpusWeight = (float)pretraining.CorpusWeight;
    }

    public string Name => "gbdt+pretrained";

    /// <summary>Gets the number of trees the last <see cref="Fit"/> added (0 when the pre-trained model was best as is).</summary>
    public int LastAddedTrees { get; private set; }

    public TreeEnsembleModel Fit(Dataset training, Dataset? validation = null, CancellationToken cancellationToken = default)
    {
        var trees = _selectTrees && training.RowCount >= MinimumRowsToSelect ? SelectTreeCount(training, cancellationToken) : _maximumTrees;
        LastAddedTrees = trees;
        return trees == 0 ? _start : Continue(training, trees, validation, cancellationToken);
    }

    IPredictor ILearner.Fit(Dataset training, Dataset? validation, CancellationToken cancellationToken) => Fit(training, validation, cancellationToken);

    private TreeEnsembleModel Continue(Dataset training, int trees, Dataset? validation, CancellationToken cancellationToken)
    {
        var data = _corpus is null ? training : DatasetOps.Concat(training, _corpus, _corpusWeight);
        return new GradientBoostingLearner(_options).ContinueTraining(_start, data, trees, validation, cancellationToken);
    }

    /// <summary>
    /// Picks how many trees to add (0 to the maximum) by the out-of-fold log loss of every prefix of the added trees:
    /// a few dozen feedback rows should barely move the pre-trained model, a few thousand may move it far.
    /// </summary>
    private int SelectTreeCount(Dataset training, CancellationToken cancellationToken)
    {
        var loss = new double[_maximumTrees + 1];
        var labels = training.Labels.Span;
        var folds = new StratifiedKFold(SelectionFolds, _seed).Split(labels);
        foreach (var fold in folds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var test = training.Select(fold.TestRows);
            var model = Continue(training.Select(fold.TrainRows), _maximumTrees, null, cancellationToken);
            var p = new float[test.RowCount];
            for (var k = 0; k <= _maximumTrees; k++)
            {
                model.TakeFirst(_start.TreeCount + k).PredictProbability(test.Features.Span, p);
                var weights = test.WeightSpan;
                loss[k] += BinaryMetrics.LogLoss(test.Labels.Span, p, weights) * test.RowCount;
            }
        }

        var best = 0;
        for (var k = 1; k <= _maximumTrees; k++)
        {
            if (loss[k] < loss[best])
            {
                best = k;
            }
        }

        return best;
    }

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
