using PatternQuality.Data;

namespace PatternQuality.Trees.Internal;

/// <summary>
/// Random forest on the boosting tree code: with gradient -w*y and hessian w, the Newton gain without L2 is the
/// weighted Gini decrease and the Newton leaf value is the weighted positive fraction.
/// </summary>
/// <remarks>Trees grow in parallel, one thread each, and every tree draws from its own seeded generator, so the forest is identical at any thread count.</remarks>
internal static class RandomForestTrainer
{
    public static (TreeEnsemble Ensemble, List<string> Warnings) Train(Dataset training, RandomForestOptions options, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var objective = BinaryLogLossObjective.Instance;
        var weights = TrainingData.CheckAndWeigh(training, objective, 2, options.ClassWeighting, nameof(training));
        var parallel = TrainingData.CreateParallelOptions(options.NumberOfThreads, cancellationToken);
        var binned = BinnedDataset.Build(training, options.MaximumBinCountPerFeature, options.Seed, parallel, cancellationToken);
        var n = training.RowCount;
        var f = training.Schema.Count;
        if (n < 2 * options.MinimumExampleCountPerLeaf)
        {
            warnings.Add(
                $"The training set has {n} rows, fewer than twice MinimumExampleCountPerLeaf ({options.MinimumExampleCountPerLeaf}): " +
                "no split is possible, so the model is a stump (one leaf) predicting the weighted positive fraction.");
        }
        else
        {
            TrainingData.CheckSplittable(binned, nameof(training));
        }

        var labels = training.Labels.Span;
        var perSplit = options.FeatureFraction is { } ff
            ? Math.Max(1, (int)Math.Round(f * ff))
            : Math.Max(1, (int)Math.Sqrt(f));
        var settings = new GrowerSettings
        {
            MaxLeaves = 1 << Math.Min(options.MaximumDepth, 20),
            MaxDepth = options.MaximumDepth,
            MinLeafCount = options.MinimumExampleCountPerLeaf,
            MinChildWeight = 1e-12,
            L2 = 0,
            MinGain = 1e-12,
            CategoricalSmoothing = 0,
            CategoricalL2 = 0,
            MaxCategoricalThreshold = 255,
            MaxOneHotCategories = 1,
            MinCountPerCategory = 1,
        };

        SplitSearch search = perSplit >= f ? HistogramSubtractionSearch.Instance : new PerSplitSamplingSearch(perSplit);
        var positive = new float[n];
        for (var i = 0; i < n; i++)
        {
            positive[i] = labels[i];
        }

        var trees = new RegressionTree[options.NumberOfTrees];
        var treeParallel = new ParallelOptions { MaxDegreeOfParallelism = parallel.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        var single = new ParallelOptions { MaxDegreeOfParallelism = 1, CancellationToken = cancellationToken };
        Parallel.For(
            0,
            options.NumberOfTrees,
            treeParallel,
            () => (Grower: new TreeGrower(binned, settings, single, search), Grad: new float[n], Hess: new float[n], Counts: new int[n]),
            (t, _, state) =>
            {
                var random = new Random(unchecked((options.Seed * 1_000_003) + t));
                var counts = state.Counts;
                Array.Clear(counts);
                if (options.Bootstrap)
                {
                    for (var i = 0; i < n; i++)
                    {
                        counts[random.Next(n)]++;
                    }
                }
                else
                {
                    Array.Fill(counts, 1);
                }

                var rows = new List<int>(n);
                for (var i = 0; i < n; i++)
                {
                    var w = weights[i] * counts[i];
                    state.Grad[i] = -w * positive[i];
                    state.Hess[i] = w;
                    if (counts[i] > 0 && w > 0)
                    {
                        rows.Add(i);
                    }
                }

                trees[t] = state.Grower.Grow(state.Grad, state.Hess, rows.ToArray(), null, random);
                return state;
            },
            _ => { });

        return (new TreeEnsemble(EnsembleKind.Forest, 1, [0.0], trees, 1.0, 0.0), warnings);
    }
}
