using PatternQuality.Online;
using PatternQuality.Online.Internal;
using PatternQuality.Telemetry;
using PatternQuality.Tests.Telemetry;

namespace PatternQuality.Tests.Online.Internal;

public sealed class PrequentialMonitorTests : IDisposable
{
    private readonly MeterRecorder _recorder = new();
    private readonly FakeLogger _logger = new();

    public void Dispose() => _recorder.Dispose();

    [Fact]
    public void Observe_StableThenWorseBatches_RaisesOneDriftEventWithMetrics()
    {
        var sut = CreateSut();
        var events = new List<DriftDetectedArguments>();
        sut.DriftDetected += (_, a) => events.Add(a);
        var random = new Random(1);

        var alarms = new List<int>();
        for (var b = 0; b < 40; b++)
        {
            // The model predicts 0.2 throughout; approvals jump from 20% to 60% at batch 20.
            var (labels, scores) = Batch(random, b < 20 ? 0.2 : 0.6, 200);
            if (sut.Observe(labels, scores))
            {
                alarms.Add(b);
            }
        }

        Assert.NotEmpty(alarms);
        Assert.InRange(alarms[0], 20, 22);
        Assert.Equal(alarms.Count, events.Count);
        Assert.Equal("page-hinkley", events[0].Detector);
        Assert.True(events[0].Metrics.LogLoss > 0.6);
        Assert.Equal(alarms.Count, _recorder.Of("patternquality.drift.detected").Count);
        Assert.Equal(40, _recorder.Of("patternquality.prequential.logloss").Count);
        Assert.Contains(_logger.Entries, e => e.EventId.Id == Log.EventIds.DriftDetected);
    }

    [Fact]
    public void Observe_BankMarketingStreamedThroughOnlineLearner_AlarmsAtTheKnownRegimeChanges()
    {
        // The bank file is in date order; the approval rate and the macro columns shift abruptly around rows
        // 24,000, 27,700, 30,000 and 36,000 (measured: alarms in the batches starting at 14500, 24000, 27500, 30000, 35500).
        var all = BankMarketing.All;
        var learner = new OnlineLogisticRegression();
        var sut = CreateSut();
        var alarmRows = new List<int>();

        for (var start = 0; start < all.RowCount; start += 500)
        {
            var batch = all.Select(Enumerable.Range(start, Math.Min(500, all.RowCount - start)).ToArray());
            if (learner.Current is { } model)
            {
                var scores = new float[batch.RowCount];
                model.PredictProbability(batch.Features.Span, scores);
                if (sut.Observe(batch.Labels.Span, scores))
                {
                    alarmRows.Add(start);
                }
            }

            learner.Update(batch);
        }

        Assert.InRange(alarmRows.Count, 3, 8);
        Assert.Contains(alarmRows, r => r is >= 23_500 and <= 24_500);
        Assert.Contains(alarmRows, r => r is >= 35_500 and <= 36_500);
    }

    [Fact]
    public void Observe_StableBatches_NoAlarm()
    {
        var sut = CreateSut();
        var random = new Random(2);

        for (var b = 0; b < 50; b++)
        {
            var (labels, scores) = Batch(random, 0.2, 200);
            Assert.False(sut.Observe(labels, scores));
        }

        Assert.Equal(10_000, sut.Evaluator.GetMetrics().TotalCount);
    }

    [Fact]
    public void Reset_AfterObservations_ClearsEvaluator()
    {
        var sut = CreateSut();
        var (labels, scores) = Batch(new Random(3), 0.5, 50);
        sut.Observe(labels, scores);

        sut.Reset();

        Assert.Equal(0, sut.Evaluator.GetMetrics().TotalCount);
    }

    private static (float[] Labels, float[] Scores) Batch(Random random, double approvalRate, int n)
    {
        var labels = new float[n];
        var scores = new float[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = random.NextDouble() < approvalRate ? 1f : 0f;
            scores[i] = 0.2f;
        }

        return (labels, scores);
    }

    private PrequentialMonitor CreateSut()
        => new("online-logistic", new PrequentialEvaluator(500), new PageHinkleyDetector(), _logger, PatternQualityMetrics.Create(_recorder.Factory));
}
