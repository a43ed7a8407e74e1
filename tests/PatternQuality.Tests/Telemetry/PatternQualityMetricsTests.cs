using PatternQuality.Telemetry;

namespace PatternQuality.Tests.Telemetry;

public class PatternQualityMetricsTests
{
    [Fact]
    public void Create_WithMeterFactory_UsesPatternQualityMeterFromFactory()
    {
        using var recorder = new MeterRecorder();

        var sut = PatternQualityMetrics.Create(recorder.Factory);

        Assert.Equal(PatternQualityMetrics.MeterName, sut.Meter.Name);
        Assert.Same(recorder.Factory, sut.Meter.Scope);
        Assert.NotSame(PatternQualityMetrics.Default, sut);
        Assert.Same(sut, PatternQualityMetrics.Create(recorder.Factory));
    }

    [Fact]
    public void Create_WithoutMeterFactory_ReturnsSharedDefault()
    {
        Assert.Same(PatternQualityMetrics.Default, PatternQualityMetrics.Create(null));
        Assert.Equal("PatternQuality", PatternQualityMetrics.Default.Meter.Name);
    }

    [Fact]
    public void RecordUpdate_Listening_RecordsDurationInMsAndBatchSizeWithLearnerTag()
    {
        using var recorder = new MeterRecorder();
        var sut = PatternQualityMetrics.Create(recorder.Factory);

        sut.RecordUpdate("online-logistic", TimeSpan.FromMilliseconds(12.5), 300);

        var duration = Assert.Single(recorder.Of("patternquality.update.duration"));
        Assert.Equal(12.5, duration.Value);
        Assert.Equal("ms", duration.Unit);
        Assert.Equal("online-logistic", duration.Tags[TelemetryTags.Learner]);
        Assert.Equal(300, Assert.Single(recorder.Of("patternquality.update.batch_size")).Value);
    }

    [Fact]
    public void RecordPrequential_NaNAuc_SkipsOnlyTheNaN()
    {
        using var recorder = new MeterRecorder();
        var sut = PatternQualityMetrics.Create(recorder.Factory);

        sut.RecordPrequential("x", 0.3, double.NaN, 0.1);

        Assert.Equal(0.3, Assert.Single(recorder.Of("patternquality.prequential.logloss")).Value);
        Assert.Empty(recorder.Of("patternquality.prequential.auc"));
        Assert.Single(recorder.Of("patternquality.prequential.brier"));
    }

    [Fact]
    public void Counters_Listening_EachAddsOneWithDottedLowerCaseName()
    {
        using var recorder = new MeterRecorder();
        var sut = PatternQualityMetrics.Create(recorder.Factory);

        sut.RecordSlowUpdate("x");
        sut.RecordDrift("x", "adwin");
        sut.RecordFeedbackAccepted();
        sut.RecordFeedbackDuplicate();
        sut.RecordFeedbackRejected();
        sut.RecordFeedbackOutOfOrder();

        var names = recorder.Measurements.Select(m => m.Instrument).ToArray();
        Assert.Equal(
            ["patternquality.update.slow", "patternquality.drift.detected", "patternquality.feedback.accepted", "patternquality.feedback.duplicates", "patternquality.feedback.rejected", "patternquality.feedback.out_of_order"],
            names);
        Assert.All(names, n => Assert.Matches("^[a-z_.]+$", n));
        Assert.Equal("adwin", recorder.Of("patternquality.drift.detected")[0].Tags[TelemetryTags.Detector]);
    }

    [Fact]
    public void RecordUpdate_NobodyListening_DoesNothing()
    {
        // The shared default meter with no listener: instruments are disabled, so nothing is built or recorded.
        var sut = PatternQualityMetrics.Default;

        sut.RecordUpdate("x", TimeSpan.FromSeconds(1), 1);
        sut.RecordPrequential("x", 1, 1, 1);

        Assert.NotNull(sut.UpdateDuration);
    }
}
