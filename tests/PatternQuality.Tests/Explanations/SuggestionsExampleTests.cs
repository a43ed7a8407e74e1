using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Scoring;
using PatternQuality.Tests.TestUtils;
using PatternQuality.Training;

namespace PatternQuality.Tests.Explanations;

/// <summary>
/// Issue 15 item 3: the code of docs/suggestions.md (seed 003's energy predictor and task suggester), compiled and run
/// on a feedback table built from real MovieLens ratings. The two code blocks below are the document's, line for line
/// between the <c>docs/suggestions.md</c> markers; keep them identical when either changes.
/// </summary>
public class SuggestionsExampleTests
{
    [Fact]
    public async Task EnergyPredictorAndTaskSuggester_FromAFeedbackTable_PredictWithConfidenceAndSuggestWithReasons()
    {
        var (rows, candidatesTable) = FeedbackTable();
        var holdout = rows.Skip(5000).ToList();
        rows = rows.Take(5000).ToList();
        var now = holdout[0].Context;

        // ---- docs/suggestions.md: energy predictor ----
        string[] levels = ["low", "medium", "high"];
        FeatureExtractor<EnergyContext> energyFeatures = new FeatureExtractorBuilder<EnergyContext>()
            .Timestamp("at", c => c.At)                              // hour of day (sin/cos), weekday, weekend
            .Numeric("tasks_today", c => c.TasksCompletedToday)
            .Numeric("avg_energy_7d", c => c.AverageEnergyLast7Days)  // null = missing, routed by a learned default
            .Numeric("sleep_quality", c => c.SleepQuality)
            .Build();

        // rows: (EnergyContext Context, string Label) from the training_data table
        var width = energyFeatures.Schema.Count;
        var x = new float[rows.Count * width];
        var y = new float[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            energyFeatures.Extract(rows[i].Context, x.AsSpan(i * width, width));
            y[i] = Array.IndexOf(levels, rows[i].Label);
        }

        // Softmax GBDT with early stopping on the latest rows, calibration (none, temperature or vector) chosen out of fold.
        var data = new Dataset(energyFeatures.Schema, x, y);
        MulticlassTrainingResult trained = await new QualityTrainer().TrainMulticlassAsync(data, levels);
        var energyScorer = new PatternScorer<EnergyContext>(energyFeatures, new QualityModelHolder(trained.Model));

        // Predict: the level and its confidence, as EnergyPredictionResponse wants them; and why (exact TreeSHAP).
        ClassProbabilities energy = energyScorer.PredictClasses(now);
        string predictedEnergy = energy.Top.Name;
        float confidence = energy.Top.Confidence;
        ScoreExplanation why = energyScorer.ExplainClass(now, predictedEnergy, top: 3);   // why.Reason: "more likely high: ..."
        // ---- end ----

        Assert.Contains(predictedEnergy, levels);
        Assert.Equal(energy.Probabilities.Max(), confidence);
        Assert.StartsWith($"more likely {predictedEnergy}", why.Reason, StringComparison.Ordinal);

        // The predictor learned something real: on the later ratings its log loss beats always predicting the class shares.
        var shares = levels.Select(l => rows.Count(r => r.Label == l) / (double)rows.Count).ToArray();
        var ours = holdout.Average(r => -Math.Log(Math.Max(1e-15, energyScorer.PredictClasses(r.Context)[r.Label])));
        var prior = holdout.Average(r => -Math.Log(shares[Array.IndexOf(levels, r.Label)]));
        Assert.True(ours < prior, $"log loss {ours:0.0000} against the class shares' {prior:0.0000}");

        // ---- docs/suggestions.md: task suggester ----
        FeatureExtractor<TaskCandidate> taskFeatures = new FeatureExtractorBuilder<TaskCandidate>()
            .Categorical("type", t => t.TaskType)
            .Categorical("energy", t => t.Energy)             // the energy predictor's level for the user then
            .Timestamp("shown", t => t.ShownAt)
            .History("user", t => t.UserId)                   // the user's acceptance rate so far, causal
            .History("task", t => t.Title)                    // the task's acceptance rate so far, causal
            .Fit(candidatesTable.Select(r => r.Pattern));

        var services = new ServiceCollection();
        services.AddPatternQuality<TaskCandidate>().UseFeatureExtractor(taskFeatures);
        using var sp = services.BuildServiceProvider();

        // Train on the feedback table (accepted / rejected suggestions), then serve; with a store, gate it with ModelVersionManager first.
        var feedback = new InMemoryFeedbackSource<TaskCandidate>();
        foreach (var record in candidatesTable)
        {
            feedback.Add(record);
        }

        TrainingResult suggester = await sp.GetRequiredService<QualityTrainer>().TrainAsync(feedback, taskFeatures);
        sp.GetRequiredService<QualityModelHolder>().Swap(suggester.Model);

        var scorer = sp.GetRequiredService<PatternScorer<TaskCandidate>>();
        var candidates = CandidatesFor(candidatesTable, predictedEnergy, now.At);   // the open tasks, each with the energy just predicted
        IReadOnlyList<ExplainedPattern<TaskCandidate>> suggestions = scorer.Suggest(candidates, top: 5, reasons: 3);
        var response = suggestions.Select(s => new
        {
            task_id = s.Pattern.TaskId,
            task_title = s.Pattern.Title,
            match_score = Math.Round((decimal)s.Score, 4),
            reasoning = s.Explanation.Reason, // "more likely approved: type = Comedy (+0.12), user = 414 (+0.08); less likely: ..."
        }).ToList();
        // ---- end ----

        Assert.Equal(5, response.Count);
        Assert.Equal(response.Select(r => r.match_score).OrderByDescending(s => s), response.Select(r => r.match_score));
        Assert.All(response, r => Assert.Matches("^(more|less) likely", r.reasoning));
        Assert.Equal(suggestions.Select(s => s.Pattern), scorer.Rank(candidates, top: 5).Select(r => r.Pattern));
        Assert.True(suggester.Report.Metrics[PatternQuality.Evaluation.MetricNames.Auc] > 0.55, $"AUC {suggester.Report.Metrics[PatternQuality.Evaluation.MetricNames.Auc]:0.000}");
    }

    /// <summary>
    /// Seed 003's tables from the earliest 6,000 MovieLens ratings: the user's context at each rating (the tasks done
    /// that day = ratings earlier that UTC day, the mean level of the last 7 days' earlier ratings, no sleep data) with
    /// the rating's level as the energy label; and each rating as a shown task (the movie's genre as its type, the
    /// level of the user's previous rating as the energy then) accepted when rated 4 or more.
    /// </summary>
    private static (List<(EnergyContext Context, string Label)> Energy, List<FeedbackRecord<TaskCandidate>> Tasks) FeedbackTable()
    {
        var movies = MovieLensFiles.Movies;
        var energy = new List<(EnergyContext, string)>();
        var tasks = new List<FeedbackRecord<TaskCandidate>>();
        var earlier = new Dictionary<string, List<(DateTimeOffset At, int Level)>>();
        foreach (var p in MovieLensFiles.EarliestRatings(6000))
        {
            var user = p[0];
            var rating = double.Parse(p[2], CultureInfo.InvariantCulture);
            var at = DateTimeOffset.FromUnixTimeSeconds(long.Parse(p[3], CultureInfo.InvariantCulture));
            var level = rating <= 2.5 ? 0 : rating < 4 ? 1 : 2;
            var history = earlier.TryGetValue(user, out var h) ? h : earlier[user] = [];
            var before = history.Where(e => e.At < at).ToList();
            var week = before.Where(e => e.At >= at.AddDays(-7)).ToList();
            var context = new EnergyContext(
                at,
                before.Count(e => e.At.UtcDateTime.Date == at.UtcDateTime.Date),
                week.Count > 0 ? week.Average(e => e.Level) : null,
                null);
            string[] names = ["low", "medium", "high"];
            energy.Add((context, names[level]));
            var then = before.Count > 0 ? names[before[^1].Level] : "medium";
            var sequence = tasks.Count;
            tasks.Add(new FeedbackRecord<TaskCandidate>(
                $"t{sequence}", sequence, new TaskCandidate(GuidFor(sequence), $"movie {p[1]}", movies[p[1]].Genre, then, user, at),
                rating >= 4 ? FeedbackOutcome.Approved : FeedbackOutcome.Rejected, at));
            history.Add((at, level));
        }

        return (energy, tasks);
    }

    private static List<TaskCandidate> CandidatesFor(List<FeedbackRecord<TaskCandidate>> table, string energy, DateTimeOffset now) =>
        table.Skip(5000).Take(40).Select(r => r.Pattern with { Energy = energy, ShownAt = now }).ToList();

    private static Guid GuidFor(int sequence) => new(sequence, 0, 0, new byte[8]);

    /// <summary>The user's context when energy is predicted (seed 003's training_data row).</summary>
    public sealed record EnergyContext(DateTimeOffset At, int TasksCompletedToday, double? AverageEnergyLast7Days, double? SleepQuality);

    /// <summary>A task shown as a suggestion (seed 003's candidate).</summary>
    public sealed record TaskCandidate(Guid TaskId, string Title, string TaskType, string Energy, string UserId, DateTimeOffset ShownAt);
}
