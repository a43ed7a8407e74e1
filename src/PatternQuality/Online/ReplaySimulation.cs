using PatternQuality.Data;
using PatternQuality.Evaluation;
using PatternQuality.Internal;
using PatternQuality.Online.Internal;
using PatternQuality.Trees;

namespace PatternQuality.Online;

/// <summary>
/// Answers "does learning as feedback arrives pay here?" on a time-ordered file before a host turns it on: trains on
/// the earliest rows, streams the rest in batches and compares three contenders prequentially (every batch is scored by
/// all of them before any learns from it): static (never updated), incremental (the engine of
/// <see cref="IncrementalLearner{TPattern}"/>) and a full retrain every <see cref="ReplaySimulationOptions.RetrainEvery"/> rows.
/// </summary>
/// <remarks>
/// The protocol behind <c>pq replay</c> and the online figures in docs/. Rows are used in the order given: sort them by
/// time first. Compaction (a full retrain when the incremental model reaches its tree limit) and the retrain contender
/// run between batches and are not part of the measured update time, as in a host where they run off the hot path.
/// </remarks>
public static class ReplaySimulation
{
    /// <summary>Runs the replay.</summary>
    /// <param name="data">Labelled rows (labels 0 and 1) in time order.</param>
    /// <param name="options">The protocol; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Receives the streamed fraction, 0 to 1, after every batch.</param>
    /// <param name="cancellationToken">Stops the replay between rows.</param>
    /// <returns>Each contender's prequential quality and the update times.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid (every problem is listed).</exception>
    /// <exception cref="ArgumentException"><see cref="ReplaySimulationOptions.InitialFraction"/> leaves nothing to train on or nothing to stream.</exception>
    public static ReplaySimulationResult Run(
        Dataset data,
        ReplaySimulationOptions? options = null,
        IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new ReplaySimulationOptions();
        OptionsValidation.ThrowIfInvalid(options, new ReplaySimulationOptionsValidator(), new ReplaySimulationLearnerRulesValidator());
        var n = data.RowCount;
        var initialCount = (int)(n * options.InitialFraction);
        if (initialCount < 2 || initialCount >= n)
        {
            throw new ArgumentException(
                $"The data has {n} rows; an initial fraction of {options.InitialFraction} leaves nothing to train on or nothing to stream.", nameof(data));
        }

        var learner = new GradientBoostingLearner(new GradientBoostingOptions { Seed = options.Learner.Seed });
        var initial = data.Select(Range(0, initialCount));
        var staticModel = learner.Fit(initial, cancellationToken: cancellationToken);
        var retrainModel = staticModel;
        var updater = new IncrementalUpdater(options.Learner, staticModel, null, initial);

        var streamed = n - initialCount;
        var labels = new float[streamed];
        var staticScores = new float[streamed];
        var incrementalScores = new float[streamed];
        var retrainScores = new float[streamed];
        var durations = new List<double>();
        int batches = 0, accepted = 0, compactions = 0, sinceRetrain = 0, servedUpdated = 0;
        var time = TimeProvider.System;
        for (var start = initialCount; start < n; start += options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = (int)Math.Min(n, (long)start + options.BatchSize);
            var batch = data.Select(Range(start, end));

            // Test, then train: every contender scores the batch before any of them learns from it.
            for (var r = 0; r < batch.RowCount; r++)
            {
                var i = start - initialCount + r;
                var row = batch.GetRow(r);
                labels[i] = batch.Labels.Span[r];
                staticScores[i] = staticModel.PredictProbability(row);
                retrainScores[i] = retrainModel.PredictProbability(row);
                incrementalScores[i] = updater.Score(row);
            }

            var began = time.GetTimestamp();
            var outcome = updater.Update(batch, cancellationToken);
            durations.Add(time.GetElapsedTime(began).TotalMilliseconds);
            accepted += outcome.Accepted ? 1 : 0;
            servedUpdated += outcome.ServesUpdated ? 1 : 0;
            batches++;

            // Compaction and the retrain contender run off the hot path: not part of the update time.
            if (updater.NeedsCompaction)
            {
                updater.Replace(learner.Fit(data.Select(Range(0, end)), cancellationToken: cancellationToken), null);
                compactions++;
            }

            sinceRetrain += end - start;
            if (sinceRetrain >= options.RetrainEvery)
            {
                retrainModel = learner.Fit(data.Select(Range(0, end)), cancellationToken: cancellationToken);
                sinceRetrain = 0;
            }

            progress?.Report((double)(end - initialCount) / streamed);
        }

        durations.Sort();
        return new ReplaySimulationResult
        {
            Batches = batches,
            InitialRows = initialCount,
            StreamedRows = streamed,
            Static = Measure(labels, staticScores),
            Incremental = Measure(labels, incrementalScores),
            Retrain = Measure(labels, retrainScores),
            UpdateP50Milliseconds = Percentile(durations, 0.5),
            UpdateP95Milliseconds = Percentile(durations, 0.95),
            UpdateMaxMilliseconds = durations.Count == 0 ? 0 : durations[^1],
            AcceptedUpdates = accepted,
            Compactions = compactions,
            FinalTreeCount = updater.UpdatedModel.TreeCount,
            ServedUpdatedBatches = servedUpdated,
            Restarts = updater.Restarts,
        };
    }

    private static int[] Range(int from, int to) => Enumerable.Range(from, to - from).ToArray();

    private static ReplayMetrics Measure(float[] labels, float[] scores)
        => new(BinaryMetrics.Auc(labels, scores), BinaryMetrics.LogLoss(labels, scores));

    private static double Percentile(List<double> sorted, double q)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }

        var index = (int)Math.Ceiling(q * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }
}
