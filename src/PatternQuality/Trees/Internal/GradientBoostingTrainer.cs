using PatternQuality.Data;

namespace PatternQuality.Trees.Internal;

/// <summary>The boosting loop: gradients, sampling, one tree per score column per round, early stopping.</summary>
internal static class GradientBoostingTrainer
{
    private const int RowChunk = 4096;

    public static (TreeEnsemble Ensemble, List<string> Warnings) Train(
        Dataset training,
        Dataset? validation,
        GradientBoostingOptions options,
        IObjective objective,
        int rounds,
        BoostingStart? from,
        CancellationToken cancellationToken)
    {
        var start = from?.Ensemble;
        var initialScores = from?.Margins;
        var prebinned = from?.Bins;
        var warnings = new List<string>();
        var k = objective.ScoreCount;
        var weights = TrainingData.CheckAndWeigh(training, objective, objective.LabelLevels, options.ClassWeighting, nameof(training));
        var validationObjective = objective;
        if (validation is not null)
        {
            training.Schema.EnsureCompatible(validation.Schema);
            objective.CheckLabels(validation.Labels.Span, nameof(validation));
            validationObjective = objective.Bind(validation, nameof(validation));
        }

        objective = objective.Bind(training, nameof(training));

        var parallel = TrainingData.CreateParallelOptions(options.NumberOfThreads, cancellationToken);

        // Incremental updates bin their replay window once and reuse the bins across updates.
        var binned = prebinned ?? BinnedDataset.Build(training, options.MaximumBinCountPerFeature, options.Seed, parallel, cancellationToken);
        if (binned.RowCount != training.RowCount || binned.FeatureCount != training.Schema.Count)
        {
            throw new ArgumentException($"The prebinned rows ({binned.RowCount} x {binned.FeatureCount}) do not match the training set ({training.RowCount} x {training.Schema.Count}).", nameof(from));
        }

        var n = training.RowCount;
        var labels = training.Labels;
        var features = training.Features;
        var f = training.Schema.Count;

        var baseScores = start?.BaseScores ?? objective.InitialScores(labels.Span, weights);
        var trees = new List<RegressionTree>(start?.Trees ?? []);
        var scores = new double[n * k];
        var startTrees = start?.Trees ?? [];

        // Incremental updates keep each replayed row's margin under the start model, so they pass it in rather
        // than paying for every start tree on every row again.
        if (initialScores is not null)
        {
            if (initialScores.Length != n * k)
            {
                throw new ArgumentException($"{initialScores.Length} initial scores for {n} rows of {k} score columns.", nameof(from));
            }

            initialScores.CopyTo(scores, 0);
        }
        else
        {
            RowParallel(n, parallel, (from, to) =>
            {
                var x = features.Span;
                Span<double> row = stackalloc double[k];
                for (var r = from; r < to; r++)
                {
                    row.Clear();
                    BaseScores(baseScores, row);
                    for (var t = 0; t < startTrees.Length; t++)
                    {
                        row[t % k] += startTrees[t].Predict(x.Slice(r * f, f));
                    }

                    row.CopyTo(scores.AsSpan(r * k, k));
                }
            });
        }

        var tooSmall = n < 2 * options.MinimumExampleCountPerLeaf;
        if (tooSmall)
        {
            warnings.Add(
                $"The training set has {n} rows, fewer than twice MinimumExampleCountPerLeaf ({options.MinimumExampleCountPerLeaf}): " +
                "no split is possible, so the model is a stump (one leaf) predicting the weighted base rate.");
            return (new TreeEnsemble(objective.Kind, k, baseScores, [.. trees], options.LearningRate, options.L2Regularization), warnings);
        }

        TrainingData.CheckSplittable(binned, nameof(training));

        double[]? validScores = null;
        float[]? validWeights = null;
        if (validation is not null)
        {
            validScores = new double[validation.RowCount * k];
            validWeights = new float[validation.RowCount];
            for (var r = 0; r < validation.RowCount; r++)
            {
                validWeights[r] = validation.GetWeight(r);
                var s = validScores.AsSpan(r * k, k);
                BaseScores(baseScores, s);
                var x = validation.GetRow(r);
                for (var t = 0; t < startTrees.Length; t++)
                {
                    s[t % k] += startTrees[t].Predict(x);
                }
            }
        }

        var settings = new GrowerSettings
        {
            MaxLeaves = options.NumberOfLeaves,
            MaxDepth = options.MaximumDepth,
            MinLeafCount = options.MinimumExampleCountPerLeaf,
            MinChildWeight = options.MinimumChildWeight,
            L2 = options.L2Regularization,
            MinGain = options.MinimumSplitGain,
            CategoricalSmoothing = options.CategoricalSmoothing,
            CategoricalL2 = options.CategoricalL2Regularization,
            MaxCategoricalThreshold = options.MaximumCategoricalSplitPointCount,
            MaxOneHotCategories = options.MaximumCategoricalOneHotCount,
            MinCountPerCategory = options.MinimumExampleCountPerCategory,
            MinCountPerCategoryGroup = options.MinimumExampleCountPerCategoryGroup,
            CategoricalOneVsRestFallback = options.CategoricalOneVsRestFallback,
        };
        var grower = new TreeGrower(binned, settings, parallel);
        var grad = new float[k][];
        var hess = new float[k][];
        for (var c = 0; c < k; c++)
        {
            grad[c] = new float[n];
            hess[c] = new float[n];
        }

        var random = new Random(options.Seed);
        var allRows = Enumerable.Range(0, n).ToArray();
        int[] bag = allRows;
        var bagging = options.BaggingFrequency > 0 && options.BaggingFraction < 1;
        var bestLoss = double.PositiveInfinity;
        var bestTreeCount = trees.Count;
        var sinceBest = 0;
        var lr = options.LearningRate;

        for (var round = 0; round < rounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RowParallel(n, parallel, (from, to) => objective.ComputeGradients(labels.Span, weights, scores, grad, hess, from, to));
            if (bagging && round % options.BaggingFrequency == 0)
            {
                var chosen = new List<int>((int)(n * options.BaggingFraction) + 16);
                for (var r = 0; r < n; r++)
                {
                    if (random.NextDouble() < options.BaggingFraction)
                    {
                        chosen.Add(r);
                    }
                }

                bag = chosen.Count >= 2 * options.MinimumExampleCountPerLeaf ? chosen.ToArray() : allRows;
            }

            var anySplit = false;
            var roundTrees = new RegressionTree[k];
            for (var c = 0; c < k; c++)
            {
                var mask = SampleFeatures(f, options.FeatureFraction, random);
                var tree = grower.Grow(grad[c], hess[c], bag, mask, null);
                var shrunk = new double[tree.LeafCount];
                for (var l = 0; l < shrunk.Length; l++)
                {
                    shrunk[l] = tree.LeafValues[l] * lr;
                }

                tree = tree.WithLeafValues(shrunk);
                anySplit |= tree.Nodes.Length > 0;
                roundTrees[c] = tree;
            }

            if (!anySplit)
            {
                if (trees.Count == (start?.Trees.Length ?? 0))
                {
                    warnings.Add("No split improved the loss in the first round; the model predicts the base rate.");
                }

                break;
            }

            trees.AddRange(roundTrees);
            RowParallel(n, parallel, (from, to) =>
            {
                var x = features.Span;
                for (var r = from; r < to; r++)
                {
                    var row = x.Slice(r * f, f);
                    for (var c = 0; c < k; c++)
                    {
                        scores[(r * k) + c] += roundTrees[c].Predict(row);
                    }
                }
            });

            if (validation is not null && validScores is not null && validWeights is not null)
            {
                for (var r = 0; r < validation.RowCount; r++)
                {
                    var x = validation.GetRow(r);
                    for (var c = 0; c < k; c++)
                    {
                        validScores[(r * k) + c] += roundTrees[c].Predict(x);
                    }
                }

                if (options.EarlyStoppingRounds > 0)
                {
                    var loss = validationObjective.Loss(validation.Labels.Span, validWeights, validScores);
                    if (loss < bestLoss)
                    {
                        bestLoss = loss;
                        bestTreeCount = trees.Count;
                        sinceBest = 0;
                    }
                    else if (++sinceBest >= options.EarlyStoppingRounds)
                    {
                        trees.RemoveRange(bestTreeCount, trees.Count - bestTreeCount);
                        break;
                    }
                }
            }
        }

        return (new TreeEnsemble(objective.Kind, k, baseScores, [.. trees], lr, options.L2Regularization), warnings);
    }

    internal static void RowParallel(int n, ParallelOptions parallel, Action<int, int> body)
    {
        var chunks = (n + RowChunk - 1) / RowChunk;
        if (chunks <= 1 || parallel.MaxDegreeOfParallelism == 1)
        {
            parallel.CancellationToken.ThrowIfCancellationRequested();
            body(0, n);
            return;
        }

        Parallel.For(0, chunks, parallel, c => body(c * RowChunk, Math.Min(n, (c + 1) * RowChunk)));
    }

    private static void BaseScores(double[] baseScores, Span<double> row) => baseScores.AsSpan().CopyTo(row);

    private static bool[]? SampleFeatures(int f, double fraction, Random random)
    {
        if (fraction >= 1)
        {
            return null;
        }

        var take = Math.Max(1, (int)Math.Round(f * fraction));
        var order = Enumerable.Range(0, f).ToArray();
        var mask = new bool[f];
        for (var j = 0; j < take; j++)
        {
            var s = random.Next(j, f);
            (order[j], order[s]) = (order[s], order[j]);
            mask[order[j]] = true;
        }

        return mask;
    }
}
