using PatternQuality.Features;
using PatternQuality.Feedback;

namespace PatternQuality.Tests.Features;

public class FeatureExtractorTests
{
    private static readonly DateTimeOffset _t0 = new(2026, 11, 21, 18, 0, 0, TimeSpan.Zero); // a Saturday, 18:00

    private static FeatureExtractor<Suggestion> CreateSut() => new FeatureExtractorBuilder<Suggestion>()
        .Numeric("confidence", s => s.Confidence)
        .Boolean("weekend", s => s.Weekend)
        .Categorical("type", s => s.Type, ["time_of_day", "co_occurrence"])
        .Timestamp("shown", s => s.ShownAt)
        .History("user", s => s.User, smoothing: 2)
        .Build();

    [Theory]
    [InlineData(0.25, 0.25f)]
    [InlineData(double.NaN, float.NaN)]
    [InlineData(double.PositiveInfinity, float.NaN)]
    [InlineData(double.NegativeInfinity, float.NaN)]
    public void Extract_Numeric_KeepsValuesAndTreatsNonFiniteAsMissing(double value, float expected)
    {
        var v = CreateSut().Extract(new Suggestion(Confidence: value));
        Assert.Equal(expected, v[0]);
    }

    [Fact]
    public void Extract_NullNumericAndBoolean_AreMissing()
    {
        var v = CreateSut().Extract(new Suggestion(Confidence: null, Weekend: null));
        Assert.True(float.IsNaN(v[0]));
        Assert.True(float.IsNaN(v[1]));
    }

    [Fact]
    public void Extract_Boolean_WritesOneOrZero()
    {
        Assert.Equal(1f, CreateSut().Extract(new Suggestion(Weekend: true))[1]);
        Assert.Equal(0f, CreateSut().Extract(new Suggestion(Weekend: false))[1]);
    }

    [Fact]
    public void Extract_UnseenCategory_MapsToUnknownSlotWithoutThrowing()
    {
        var sut = CreateSut();
        Assert.Equal(2f, sut.Extract(new Suggestion(Type: "co_occurrence"))[2]);
        Assert.Equal(0f, sut.Extract(new Suggestion(Type: "brand_new_type"))[2]);
    }

    [Fact]
    public void Extract_Timestamp_WritesHourOnCircleDayOfWeekAndWeekend()
    {
        var v = CreateSut().Extract(new Suggestion(ShownAt: _t0));
        Assert.Equal(Math.Sin(2 * Math.PI * 18 / 24), v[3], 5);
        Assert.Equal(Math.Cos(2 * Math.PI * 18 / 24), v[4], 5);
        Assert.Equal((float)DayOfWeek.Saturday, v[5]);
        Assert.Equal(1f, v[6]);

        var monday = CreateSut().Extract(new Suggestion(ShownAt: _t0.AddDays(2).AddHours(-18)));
        Assert.Equal(0f, monday[3], 5);
        Assert.Equal(1f, monday[4], 5);
        Assert.Equal((float)DayOfWeek.Monday, monday[5]);
        Assert.Equal(0f, monday[6]);
    }

    [Fact]
    public void Extract_Timestamp_UsesTheTimesOwnOffset()
    {
        var local = new DateTimeOffset(2026, 11, 23, 23, 0, 0, TimeSpan.FromHours(2));
        var v = CreateSut().Extract(new Suggestion(ShownAt: local));
        Assert.Equal(Math.Cos(2 * Math.PI * 23 / 24), v[4], 5);
    }

    [Fact]
    public void Extract_MissingTimestamp_WritesFourMissingValues()
    {
        var v = CreateSut().Extract(new Suggestion(ShownAt: null));
        Assert.All(v[3..7], x => Assert.True(float.IsNaN(x)));
    }

    [Fact]
    public void Extract_History_IsSmoothedTowardsGlobalRate()
    {
        var sut = CreateSut();
        sut.Observe(new Suggestion(User: "u1"), 1);
        sut.Observe(new Suggestion(User: "u1"), 1);
        sut.Observe(new Suggestion(User: "u2"), 0);
        sut.Observe(new Suggestion(User: "u2"), 0);

        var u1 = sut.Extract(new Suggestion(User: "u1"));
        var fresh = sut.Extract(new Suggestion(User: "u3"));
        var none = sut.Extract(new Suggestion(User: null));

        Assert.Equal((2 + (0.5 * 2)) / (2 + 2.0), u1[7], 5); // prior 0.5 = global 2/4
        Assert.Equal(2f, u1[8]);
        Assert.Equal(0.5f, fresh[7], 5);
        Assert.Equal(0f, fresh[8]);
        Assert.True(float.IsNaN(none[7]));
        Assert.True(float.IsNaN(none[8]));
    }

    [Fact]
    public void Extract_NullPattern_ThrowsArgumentNull()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => CreateSut().Extract(null!, new float[9]));
        Assert.Equal("pattern", ex.ParamName);
    }

    [Fact]
    public void Extract_WrongLength_ThrowsNamingBothLengths()
    {
        var ex = Assert.Throws<ArgumentException>(() => CreateSut().Extract(new Suggestion(), new float[3]));
        Assert.Contains("3 floats", ex.Message);
        Assert.Contains("9 features", ex.Message);
    }

    [Fact]
    public void Extract_AccessorThrows_WrapsNamingTheFeature()
    {
        var sut = new FeatureExtractorBuilder<Suggestion>()
            .Numeric("ok", s => 1)
            .Numeric("broken", s => throw new InvalidOperationException("boom"))
            .Build();
        var ex = Assert.Throws<PatternQualityException>(() => sut.Extract(new Suggestion()));
        Assert.Contains("'broken'", ex.Message);
        Assert.Contains("boom", ex.Message);
    }

    [Fact]
    public void ExtractTraining_History_NeverSeesFutureOrOwnFeedback()
    {
        var sut = CreateSut();

        // u1 is rejected at t0 and t0+1h, then approved many times later; the early rows must not know.
        var records = new List<FeedbackRecord<Suggestion>>
        {
            Record(0, "u1", FeedbackOutcome.Rejected, _t0),
            Record(1, "u1", FeedbackOutcome.Rejected, _t0.AddHours(1)),
        };
        for (var i = 0; i < 20; i++)
        {
            records.Add(Record(2 + i, "u1", FeedbackOutcome.Approved, _t0.AddDays(1).AddMinutes(i)));
        }

        // Shuffle the input: the extractor must order by time itself.
        records.Reverse();
        var data = sut.ExtractTraining(records);

        Assert.Equal(22, data.RowCount);
        Assert.Equal(0f, data.GetRow(0)[8]); // first row: no earlier feedback at all
        Assert.Equal(0.5f, data.GetRow(0)[7], 5);
        Assert.Equal(1f, data.GetRow(1)[8]); // second row: exactly one earlier (rejected) record
        Assert.Equal((0 + (0 * 2)) / (1 + 2.0), data.GetRow(1)[7], 5); // prior = global rate so far = 0
        Assert.Equal(0f, data.Labels.Span[0]);
        for (var i = 2; i < 22; i++)
        {
            Assert.Equal(i, data.GetRow(i)[8]); // row i sees exactly the i rows before it
        }

        Assert.Equal(_t0.ToUnixTimeMilliseconds(), data.Timestamps!.Value.Span[0]);
        Assert.Equal("u1", data.Groups![0]);

        // After training, scoring sees all 22 records.
        Assert.Equal(22f, sut.Extract(new Suggestion(User: "u1"))[8]);
    }

    [Fact]
    public void ExtractTraining_EqualTimestamps_DoNotSeeEachOther()
    {
        var sut = CreateSut();
        var data = sut.ExtractTraining(
        [
            Record(0, "u1", FeedbackOutcome.Approved, _t0),
            Record(1, "u1", FeedbackOutcome.Approved, _t0),
            Record(2, "u1", FeedbackOutcome.Approved, _t0.AddSeconds(1)),
        ]);

        Assert.Equal(0f, data.GetRow(0)[8]);
        Assert.Equal(0f, data.GetRow(1)[8]);
        Assert.Equal(2f, data.GetRow(2)[8]);
    }

    [Fact]
    public void ExtractTraining_LabelLeak_LabelIsNotRecoverableFromOwnHistory()
    {
        // With one record per user, a leaky extractor would put the label into user.rate; a causal one writes the prior.
        var sut = CreateSut();
        var records = Enumerable.Range(0, 50)
            .Select(i => Record(i, "user" + i, i % 2 == 0 ? FeedbackOutcome.Approved : FeedbackOutcome.Rejected, _t0.AddMinutes(i)))
            .ToArray();
        var data = sut.ExtractTraining(records);
        for (var r = 0; r < data.RowCount; r++)
        {
            Assert.Equal(0f, data.GetRow(r)[8]);
        }
    }

    [Fact]
    public void ExtractTraining_NullRecord_ThrowsNamingPosition()
    {
        var ex = Assert.Throws<ArgumentException>(() => CreateSut().ExtractTraining([Record(0, "u", FeedbackOutcome.Approved, _t0), null!]));
        Assert.Contains("record 1", ex.Message);
    }

    [Fact]
    public void ExtractTraining_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => CreateSut().ExtractTraining([Record(0, "u", FeedbackOutcome.Approved, _t0)], cts.Token));
    }

    [Fact]
    public void WithHistory_UsesTheGivenState()
    {
        var state = new HistoryState();
        state.Observe("user", "u1", 1);
        var sut = CreateSut().WithHistory(state);
        Assert.Equal(1f, sut.Extract(new Suggestion(User: "u1"))[8]);
        Assert.Equal(CreateSut().Schema, sut.Schema);
    }

    private static FeedbackRecord<Suggestion> Record(long seq, string user, FeedbackOutcome outcome, DateTimeOffset at)
        => new("r" + seq, seq, new Suggestion(User: user, ShownAt: at), outcome, at) { UserId = user };
}
