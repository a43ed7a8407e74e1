using System.Globalization;
using PatternQuality.Cli.Reporting;
using PatternQuality.Evaluation;
using PatternQuality.Features;
using PatternQuality.Feedback;
using PatternQuality.Scoring;
using PatternQuality.Storage;
using PatternQuality.Training;
using PatternQuality.Versioning;

namespace PatternQuality.Cli.Demo;

/// <summary>
/// Plays a host application for a few simulated weeks: feedback accumulates day by day, a candidate is trained every
/// week on a window of recent feedback, the quality gate compares it with the active model on the following days'
/// feedback, and versions are stored, promoted or kept as challenger. Halfway, tastes drift. Once, a broken feedback
/// export (approvals and rejections swapped) produces a bad candidate: the gate rejects it, an operator forces it live
/// anyway, the next day's live metrics collapse and the demo rolls back. It ends with the HTML report.
/// </summary>
internal sealed class DemoRunner
{
    private readonly DemoOptions _options;
    private readonly IProgress<double>? _progress;

    public DemoRunner(DemoOptions options, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _progress = progress;
    }

    /// <summary>The features a host would declare for its patterns, with the fluent builder.</summary>
    public static FeatureExtractor<SimulatedPattern> CreateExtractor() => new FeatureExtractorBuilder<SimulatedPattern>()
        .Categorical("type", p => p.PatternType, FeedbackSimulator.PatternTypes)
        .Numeric("confidence", p => p.Confidence)
        .Numeric("occurrences", p => p.Occurrences)
        .Numeric("devices", p => p.DeviceCount)
        .Timestamp("shown_at", p => p.ShownAt)
        .History("user", p => p.UserId)
        .Build();

    public async Task<DemoResult> RunAsync(string outDirectory, CancellationToken cancellationToken)
    {
        var o = _options;
        var started = TimeProvider.System.GetTimestamp();
        Directory.CreateDirectory(outDirectory);
        var storeDir = Path.Combine(outDirectory, "store");
        ResetStore(storeDir);
        var clock = new SimulatedClock(o.Start);
        using var manager = new ModelVersionManager(
            new FileSystemModelStore(new FileSystemModelStoreOptions { Directory = storeDir }),
            new ModelVersioningOptions { RetainCount = 100 },
            policy: null,
            timeProvider: clock);
        var trainer = new QualityTrainer(
            new QualityTrainerOptions
            {
                Seed = o.Seed,
                GradientBoosting = { NumberOfTrees = o.Trees, NumberOfLeaves = o.Leaves, Seed = o.Seed },
            },
            timeProvider: clock);
        var simulator = new FeedbackSimulator(o.Seed, o.Users, o.Days, o.FeedbackPerDay, o.Start);

        var days = new List<IReadOnlyList<FeedbackRecord<SimulatedPattern>>>();
        var models = new Dictionary<string, QualityModel>(StringComparer.Ordinal);
        var events = new List<DemoEvent>();
        var weeks = new List<DemoWeek>();
        var week = new WeekAccumulator(0);
        Pending? pending = null;
        string? watched = null;
        int promoted = 0, rejected = 0, rollbacks = 0;

        for (var day = 0; day < o.Days; day++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            clock.Now = o.Start.AddDays(day);
            var records = simulator.SimulateDay(day);
            days.Add(records);
            if (day / 7 != week.Week)
            {
                weeks.Add(week.ToWeek());
                week = new WeekAccumulator(day / 7);
            }

            if (day == simulator.DriftDay)
            {
                events.Add(new DemoEvent(day, clock.Now, "drift", "-", "-", "Tastes change: anomaly patterns now disliked, energy patterns liked, confidence matters half as much."));
            }

            // Live: the active model scores the day's suggestions before learning from their feedback.
            var active = await manager.GetActiveVersionAsync(cancellationToken).ConfigureAwait(false);
            clock.Now = o.Start.AddDays(day + 1);
            if (active is not null)
            {
                var live = Score(models[active], records);
                week.Add(active, records, live);
                if (active == watched)
                {
                    var rolledBack = await WatchAsync(manager, models, active, records, live, day, clock.Now, events, cancellationToken).ConfigureAwait(false);
                    if (rolledBack)
                    {
                        rollbacks++;
                        watched = null;
                    }
                }
            }

            if (pending is not null && day == pending.TrainedDay + o.GateDays)
            {
                var holdout = days.Skip(pending.TrainedDay + 1).Take(o.GateDays).SelectMany(d => d).ToList();
                var proposal = await GateAsync(manager, models, active, pending, holdout, cancellationToken).ConfigureAwait(false);
                var version = proposal.Version.Version;
                models[version] = pending.Model;
                if (proposal.Promoted)
                {
                    promoted++;
                }
                else
                {
                    rejected++;
                }

                events.Add(new DemoEvent(day, clock.Now, pending.Broken ? "gate (broken feed)" : "gate", version, proposal.Promoted ? "promoted" : "rejected, challenger", Gist(proposal.Decision)));
                if (pending.Broken && !proposal.Promoted)
                {
                    await manager.ActivateAsync(version, "forced live by an operator despite the gate (as pq promote does)", cancellationToken).ConfigureAwait(false);
                    events.Add(new DemoEvent(day, clock.Now, "forced live", version, "active", "An operator promotes the rejected candidate by hand."));
                    watched = version;
                }

                pending = null;
            }

            if (pending is null && o.IncidentDay >= 0 && day == o.IncidentDay && day + o.GateDays < o.Days)
            {
                pending = await TrainAsync(trainer, days, day, broken: true, cancellationToken).ConfigureAwait(false);
                events.Add(new DemoEvent(day, clock.Now, "train (broken feed)", "-", "candidate", $"A feedback export bug swaps approvals and rejections; {pending.Rows} rows."));
            }
            else if (pending is null && (day + 1) % o.RetrainEveryDays == 0 && day + o.GateDays < o.Days)
            {
                pending = await TrainAsync(trainer, days, day, broken: false, cancellationToken).ConfigureAwait(false);
                events.Add(new DemoEvent(day, clock.Now, "train", "-", "candidate", string.Create(CultureInfo.InvariantCulture, $"{pending.Rows} rows (days {pending.FirstDay + 1}-{day + 1}); own holdout AUC {pending.Result.Report.Metrics[MetricNames.Auc]:0.000}, calibration {pending.Result.Report.CalibrationMethod}.")));
            }

            _progress?.Report((day + 1.0) / o.Days * 0.95);
        }

        weeks.Add(week.ToWeek());
        var finalActive = await manager.GetActiveVersionAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The demo ended without an active version; run it with more days.");
        var reportRecords = days.Skip(o.Days - o.ReportDays).SelectMany(d => d).ToList();
        var finalModel = models[finalActive];
        var finalScores = Score(finalModel, reportRecords);
        var finalLabels = reportRecords.Select(r => r.Label).ToArray();
        var finalMetrics = BinaryEvaluation.Compute(finalLabels, finalScores).ToDictionary();
        var versions = await manager.ListAsync(cancellationToken).ConfigureAwait(false);
        var seconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
        var result = new DemoResult
        {
            OutDirectory = Path.GetFullPath(outDirectory),
            StoreDirectory = Path.GetFullPath(storeDir),
            ReportPath = Path.GetFullPath(Path.Combine(outDirectory, "report.html")),
            Days = o.Days,
            Feedback = days.Sum(d => d.Count),
            Versions = versions.Count,
            Promoted = promoted,
            Rejected = rejected,
            Rollbacks = rollbacks,
            ActiveVersion = finalActive,
            FinalMetrics = finalMetrics,
            Events = events,
            Weeks = weeks,
            Seconds = seconds,
        };
        var html = HtmlReportWriter.Render(BuildReport(result, finalModel, finalLabels, finalScores, simulator.DriftDay, o.ReportDays));
        await File.WriteAllTextAsync(result.ReportPath, html, cancellationToken).ConfigureAwait(false);
        _progress?.Report(1);
        return result;
    }

    /// <summary>Scores records in time order with a model, its history features continuing from the model's saved state.</summary>
    internal static float[] Score(QualityModel model, IReadOnlyList<FeedbackRecord<SimulatedPattern>> records)
    {
        var extractor = CreateExtractor().WithHistory(model.History?.Clone() ?? new HistoryState());
        var width = extractor.Schema.Count;
        var features = new float[records.Count * width];
        for (var i = 0; i < records.Count; i++)
        {
            extractor.Extract(records[i].Pattern, features.AsSpan(i * width, width));
            extractor.Observe(records[i]);
        }

        var scores = new float[records.Count];
        if (records.Count > 0)
        {
            model.Score(features, scores);
        }

        return scores;
    }

    private static void ResetStore(string storeDir)
    {
        if (!Directory.Exists(storeDir))
        {
            return;
        }

        // Only ever replace a store: never delete a folder the demo did not make.
        if (!File.Exists(Path.Combine(storeDir, "manifest.json")) && Directory.EnumerateFileSystemEntries(storeDir).Any())
        {
            throw new IOException($"'{storeDir}' exists and is not a model store; choose another --out folder.");
        }

        Directory.Delete(storeDir, recursive: true);
    }

    private static string Gist(PromotionDecision d)
    {
        if (double.IsNaN(d.CandidateAuc))
        {
            return d.Reason;
        }

        var verdict = d.Promoted ? "promoted: ranks no worse, lower log loss"
            : d.Reason.Contains("AUC may be worse", StringComparison.Ordinal) ? "rejected: AUC may be worse than the champion's"
            : d.Reason.Contains("log loss is not lower", StringComparison.Ordinal) ? "rejected: log loss not lower on the same rows"
            : d.Reason.Contains("neither Brier", StringComparison.Ordinal) ? "rejected: Brier score and calibration error not 5% better"
            : "rejected";
        var logLoss = double.IsNaN(d.CandidateLogLoss) ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $", log loss {d.CandidateLogLoss:0.000} vs {d.ChampionLogLoss:0.000}");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"AUC {d.CandidateAuc:0.000} vs {d.ChampionAuc:0.000} (interval of the difference [{d.AucDeltaLower:+0.000;-0.000}, {d.AucDeltaUpper:+0.000;-0.000}]){logLoss}, Brier {d.CandidateBrier:0.000} vs {d.ChampionBrier:0.000}; {verdict}.");
    }

    private static async Task<bool> WatchAsync(
        ModelVersionManager manager,
        Dictionary<string, QualityModel> models,
        string active,
        IReadOnlyList<FeedbackRecord<SimulatedPattern>> records,
        float[] live,
        int day,
        DateTimeOffset now,
        List<DemoEvent> events,
        CancellationToken cancellationToken)
    {
        var metadata = (await manager.ListAsync(cancellationToken).ConfigureAwait(false)).First(v => v.Version == active);
        if (!metadata.Properties.TryGetValue(ModelPropertyNames.PreviousActive, out var previous) || !models.TryGetValue(previous, out var previousModel))
        {
            return false;
        }

        var labels = records.Select(r => r.Label).ToArray();
        var liveAuc = BinaryEvaluation.Compute(labels, live).Auc;
        var previousAuc = BinaryEvaluation.Compute(labels, Score(previousModel, records)).Auc;
        if (!(liveAuc < previousAuc - 0.05))
        {
            return false;
        }

        var reason = string.Create(CultureInfo.InvariantCulture, $"live AUC on day {day + 1} is {liveAuc:0.000}; {previous} scores {previousAuc:0.000} on the same feedback");
        var back = await manager.RollbackAsync(null, reason, cancellationToken).ConfigureAwait(false);
        events.Add(new DemoEvent(day, now, "rollback", back.Version, "active", "Rolled back from " + active + ": " + reason + "."));
        return true;
    }

    private async Task<Pending> TrainAsync(QualityTrainer trainer, List<IReadOnlyList<FeedbackRecord<SimulatedPattern>>> days, int day, bool broken, CancellationToken cancellationToken)
    {
        var first = Math.Max(0, day - _options.TrainingWindowDays + 1);
        var source = new InMemoryFeedbackSource<SimulatedPattern>();
        foreach (var record in days.Skip(first).Take(day - first + 1).SelectMany(d => d))
        {
            source.Add(broken ? record with { Outcome = record.Outcome == FeedbackOutcome.Approved ? FeedbackOutcome.Rejected : FeedbackOutcome.Approved } : record);
        }

        var result = await trainer.TrainAsync(source, CreateExtractor(), null, cancellationToken).ConfigureAwait(false);
        return new Pending(result.Model, result, day, first, source.Count, broken);
    }

    private static async Task<ModelProposalResult> GateAsync(
        ModelVersionManager manager,
        Dictionary<string, QualityModel> models,
        string? active,
        Pending pending,
        List<FeedbackRecord<SimulatedPattern>> holdout,
        CancellationToken cancellationToken)
    {
        var labels = holdout.Select(r => r.Label).ToArray();
        var candidateScores = Score(pending.Model, holdout);
        var championScores = active is null ? [] : Score(models[active], holdout);
        var report = pending.Result.Report;
        var request = new ModelSaveRequest
        {
            SchemaHash = pending.Model.Info.Schema.Hash,
            TrainingRows = pending.Rows,
            Trainer = report.Trainer,
            Watermark = pending.Result.Watermark ?? FeedbackWatermark.Start,
            Metrics = report.Metrics,
            Properties = new Dictionary<string, string>
            {
                ["demo.trainedOnDays"] = string.Create(CultureInfo.InvariantCulture, $"{pending.FirstDay + 1}-{pending.TrainedDay + 1}"),
                ["demo.note"] = pending.Broken ? "trained on a broken feedback export (labels swapped)" : "weekly retrain",
            },
        };
        var gate = PromotionHoldout.FromScores(labels, candidateScores, active, championScores);
        return await manager.ProposeAsync(pending.Model.ToBytes(), request, gate, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static ReportContent BuildReport(DemoResult r, QualityModel model, float[] labels, float[] scores, int driftDay, int reportDays)
    {
        var inv = CultureInfo.InvariantCulture;
        return new ReportContent
        {
            Title = string.Create(inv, $"PatternQuality demo: {r.Days} simulated days of feedback"),
            Summary =
            [
                new("Simulation", string.Create(inv, $"{r.Days} days, {r.Feedback:N0} feedback records; tastes drift from day {driftDay + 1}")),
                new("Generative model", "approval = sigmoid(type effect + 2.5 (confidence - 0.5) + 0.35 ln(1 + occurrences) - 0.15 (devices - 2) + user bias + time of day); see Demo/FeedbackSimulator.cs"),
                new("Versions", $"{r.Versions} stored: {r.Promoted} promoted by the gate, {r.Rejected} rejected, {r.Rollbacks} rolled back"),
                new("Active version", r.ActiveVersion),
                new("Curves below", string.Create(inv, $"the active version on the last {labels.Length:N0} feedback records (days {r.Days - reportDays + 1}-{r.Days}), which it never trained on")),
                new("Store", r.StoreDirectory),
            ],
            Metrics = r.FinalMetrics.ToList(),
            Labels = labels,
            Scores = scores,
            FeatureImportance = Commands.ReportImportance.Gain(model.Predictor),
            Tables =
            [
                new ReportTable(
                    "Version timeline",
                    ["day", "date", "event", "version", "outcome", "detail"],
                    r.Events.Select(e => (IReadOnlyList<string>)[(e.Day + 1).ToString(inv), e.Date.ToString("yyyy-MM-dd", inv), e.Event, e.Version, e.Outcome, e.Detail]).ToList()),
                new ReportTable(
                    "Live metrics per week (the active model, before learning from the week's feedback)",
                    ["week", "active version(s)", "rows", "auc", "brier", "ece"],
                    r.Weeks.Select(w => (IReadOnlyList<string>)[(w.Week + 1).ToString(inv), w.ActiveVersions, w.Rows.ToString(inv), F(w.Auc), F(w.Brier), F(w.Ece)]).ToList()),
            ],
        };
    }

    private static string F(double v) => double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "-";

    private sealed record Pending(QualityModel Model, TrainingResult Result, int TrainedDay, int FirstDay, int Rows, bool Broken);

    private sealed class WeekAccumulator(int week)
    {
        private readonly List<float> _labels = [];
        private readonly List<float> _scores = [];
        private readonly List<string> _versions = [];

        public int Week { get; } = week;

        public void Add(string version, IReadOnlyList<FeedbackRecord<SimulatedPattern>> records, float[] scores)
        {
            if (!_versions.Contains(version))
            {
                _versions.Add(version);
            }

            _labels.AddRange(records.Select(r => r.Label));
            _scores.AddRange(scores);
        }

        public DemoWeek ToWeek()
        {
            if (_labels.Count == 0)
            {
                return new DemoWeek(Week, "(none yet)", 0, double.NaN, double.NaN, double.NaN);
            }

            var e = BinaryEvaluation.Compute(_labels.ToArray(), _scores.ToArray());
            return new DemoWeek(Week, string.Join(", ", _versions.Select(Short)), _labels.Count, e.Auc, e.Brier, e.Ece);
        }
    }

    /// <summary>The version's sequence part (<c>v0003</c>): the full id also carries its creation time.</summary>
    internal static string Short(string version) => version.Length > 5 && version[5] == '-' ? version[..5] : version;
}
