using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Trees;
using PatternQuality.Validation;

namespace PatternQuality.ActiveLearning;

/// <summary>
/// Compares query strategies on a labelled file by simulating the feedback loop: start from a few random labels, let
/// each strategy choose the next batch from the unlabelled pool, retrain, and measure test AUC after every batch.
/// </summary>
/// <remarks>
/// Per seed: a stratified random train/test split, one random starting set shared by every strategy, and the same
/// model options, so the curves differ only by what each strategy chose. The pool's own labels are revealed only for
/// the rows a strategy asks about. This is the protocol behind <c>pq active-learn</c> and docs/active-learning.md.
/// </remarks>
public static class ActiveLearningSimulation
{
    /// <summary>Runs the simulation.</summary>
    /// <param name="data">Labelled rows (labels 0 and 1).</param>
    /// <param name="strategies">The strategies to compare, distinct by name.</param>
    /// <param name="options">The protocol; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Receives the finished fraction, 0 to 1.</param>
    /// <param name="cancellationToken">Stops the simulation.</param>
    /// <returns>Each strategy's learning curve.</returns>
    /// <exception cref="ArgumentException">No strategy, two with one name, or too few rows for the budget and the test fraction.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public static ActiveLearningResult Run(
        Dataset data,
        IReadOnlyList<IQueryStrategy> strategies,
        ActiveLearningSimulationOptions? options = null,
        IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(strategies);
        options ??= new ActiveLearningSimulationOptions();
        options.Validate();
        if (strategies.Count == 0)
        {
            throw new ArgumentException("Name at least one query strategy.", nameof(strategies));
        }

        var names = strategies.Select(s => s?.Name ?? throw new ArgumentException("A strategy is null.", nameof(strategies))).ToArray();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
        {
            throw new ArgumentException("Two strategies share a name: " + string.Join(", ", names), nameof(strategies));
        }

        var poolRows = data.RowCount - (int)Math.Ceiling(data.RowCount * options.TestFraction);
        if (poolRows < options.Budget)
        {
            throw new ArgumentException(
                $"The pool has about {poolRows} rows after holding out {options.TestFraction:P0} for testing, fewer than the budget of {options.Budget} labels.",
                nameof(data));
        }

        var learner = new GradientBoostingLearner(options.Model);
        var runs = new List<double>[strategies.Count][];
        var done = 0;
        var total = options.Seeds * strategies.Count;
        for (var seed = 0; seed < options.Seeds; seed++)
        {
            var split = DataSplitter.StratifiedHoldout(data, options.TestFraction, seed);
            var start = new RandomQueryStrategy().Select(
                new QueryContext(data.Schema, split.Train.Features, Enumerable.Range(0, split.Train.RowCount).ToArray(), new ConstantModel(data.Schema), seed: seed),
                options.StartLabels,
                cancellationToken);
            for (var s = 0; s < strategies.Count; s++)
            {
                var curve = RunOne(strategies[s], split, start, learner, options, seed, cancellationToken);
                runs[s] ??= new List<double>[curve.Count];
                for (var p = 0; p < curve.Count; p++)
                {
                    (runs[s][p] ??= []).Add(curve[p]);
                }

                progress?.Report(++done / (double)total);
            }
        }

        var curves = new Dictionary<string, IReadOnlyList<LearningCurvePoint>>(StringComparer.Ordinal);
        for (var s = 0; s < strategies.Count; s++)
        {
            var points = new LearningCurvePoint[runs[s].Length];
            for (var p = 0; p < points.Length; p++)
            {
                var values = runs[s][p];
                var mean = values.Average();
                var variance = values.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, values.Count - 1);
                points[p] = new LearningCurvePoint(LabelsAt(p, options), mean, values.Count > 1 ? Math.Sqrt(variance) : 0);
            }

            curves[names[s]] = points;
        }

        return new ActiveLearningResult(curves, options.Seeds);
    }

    private static List<double> RunOne(
        IQueryStrategy strategy,
        DataSplit split,
        int[] start,
        GradientBoostingLearner learner,
        ActiveLearningSimulationOptions options,
        int seed,
        CancellationToken cancellationToken)
    {
        var pool = split.Train;
        var isLabelled = new bool[pool.RowCount];
        var labelled = new List<int>(start);
        foreach (var row in start)
        {
            isLabelled[row] = true;
        }

        var aucs = new List<double>();
        var testScores = new float[split.Test.RowCount];
        for (var round = 0; ; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var known = pool.Select(labelled);
            var model = learner.Fit(known, cancellationToken: cancellationToken);
            model.PredictProbability(split.Test.Features.Span, testScores);
            aucs.Add(BinaryMetrics.Auc(split.Test.Labels.Span, testScores));
            if (labelled.Count >= options.Budget)
            {
                return aucs;
            }

            var candidates = new List<int>(pool.RowCount - labelled.Count);
            for (var i = 0; i < pool.RowCount; i++)
            {
                if (!isLabelled[i])
                {
                    candidates.Add(i);
                }
            }

            var context = new QueryContext(pool.Schema, pool.Features, candidates, model, known, learner, (seed * 7919) + round + 1);
            var chosen = strategy.Select(context, Math.Min(options.BatchSize, options.Budget - labelled.Count), cancellationToken);
            if (chosen.Length == 0)
            {
                throw new InvalidOperationException($"Strategy '{strategy.Name}' chose nothing from {candidates.Count} open candidates.");
            }

            foreach (var row in chosen)
            {
                if (!isLabelled[row])
                {
                    isLabelled[row] = true;
                    labelled.Add(row);
                }
            }
        }
    }

    private static int LabelsAt(int point, ActiveLearningSimulationOptions options) =>
        (int)Math.Min(options.Budget, options.StartLabels + ((long)point * options.BatchSize));

    /// <summary>Stands in for a model where a round needs none (drawing the random starting set).</summary>
    private sealed class ConstantModel(PatternQuality.Data.FeatureSchema schema) : PatternQuality.Learning.IPredictor
    {
        public PatternQuality.Data.FeatureSchema Schema { get; } = schema;

        public float PredictProbability(ReadOnlySpan<float> features) => 0.5f;

        public void PredictProbability(ReadOnlySpan<float> features, Span<float> destination) => destination.Fill(0.5f);
    }
}
