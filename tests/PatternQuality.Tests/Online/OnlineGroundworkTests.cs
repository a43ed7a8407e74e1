using PatternQuality.Feedback;
using PatternQuality.Online;
using PatternQuality.Online.Internal;
using PatternQuality.Telemetry;
using PatternQuality.Tests.Telemetry;

namespace PatternQuality.Tests.Online;

/// <summary>
/// The pieces wired the way the incremental learner will wire them: writers flood a bounded collector, an updater
/// waits on the trigger, scores each batch before learning from it, watches for drift and times itself. A reference
/// for that learner and a check that nothing is lost or learned twice.
/// </summary>
public sealed class OnlineGroundworkTests : IDisposable
{
    private readonly MeterRecorder _recorder = new();

    public void Dispose() => _recorder.Dispose();

    [Fact]
    public async Task Pipeline_BankStreamFloodedByWriters_LearnsEveryRecordOnceAndScoresHonestly()
    {
        var all = BankMarketing.All;
        const int Rows = 20_000;
        var metrics = PatternQualityMetrics.Create(_recorder.Factory);
        var logger = new FakeLogger();
        using var trigger = new UpdateTrigger(new UpdateTriggerOptions { CountThreshold = 500, MaximumAge = TimeSpan.FromMilliseconds(50) });
        using var collector = new FeedbackCollector<int>(new FeedbackCollectorOptions { Capacity = 1000 }, trigger, logger, _recorder.Factory);
        var learner = new OnlineLogisticRegression();
        var monitor = new PrequentialMonitor(learner.Name, new PrequentialEvaluator(2000), new PageHinkleyDetector(), logger, metrics);
        var budget = new UpdateBudgetMonitor(TimeSpan.FromMinutes(1), learner.Name, logger, metrics);
        using var done = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var writer = Task.Run(async () =>
        {
            var t0 = DateTimeOffset.UnixEpoch;
            for (var i = 0; i < Rows; i++)
            {
                var outcome = all.Labels.Span[i] == 1f ? FeedbackOutcome.Approved : FeedbackOutcome.Rejected;
                await collector.WriteAsync(new FeedbackRecord<int>($"row{i}", i, i, outcome, t0.AddSeconds(i)), done.Token);
                if (i % 1000 == 0)
                {
                    // A replayed record, as an at-least-once queue would deliver.
                    await collector.WriteAsync(new FeedbackRecord<int>($"row{i}", i, i, outcome, t0.AddSeconds(i)), done.Token);
                }
            }
        });

        var learned = new HashSet<int>();
        while (learned.Count < Rows)
        {
            await trigger.WaitAsync(done.Token);
            var batch = collector.DrainBatch(500);
            if (batch.Count == 0)
            {
                continue;
            }

            var rows = batch.Select(r => r.Pattern).ToArray();
            Assert.All(rows, r => Assert.True(learned.Add(r), $"row {r} learned twice"));
            var data = all.Select(rows);
            var start = budget.Start();
            if (learner.Current is { } model)
            {
                var scores = new float[data.RowCount];
                model.PredictProbability(data.Features.Span, scores);
                monitor.Observe(data.Labels.Span, scores);
            }

            learner.Update(data, done.Token);
            budget.Record(start, data.RowCount);
        }

        await writer;
        Assert.Equal(Rows, learner.ExamplesSeen);
        Assert.Equal(Rows / 1000, collector.DuplicateCount);
        Assert.InRange(monitor.Evaluator.GetMetrics().CumulativeLogLoss, 0.15, 0.35);
        Assert.NotEmpty(_recorder.Of("patternquality.update.duration"));
        Assert.Equal(Rows, _recorder.Of("patternquality.feedback.accepted").Sum(m => m.Value));
        Assert.Equal(Rows / 1000, _recorder.Of("patternquality.feedback.duplicates").Count);
    }
}
