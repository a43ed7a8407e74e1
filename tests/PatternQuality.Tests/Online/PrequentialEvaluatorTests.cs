using PatternQuality.Online;

namespace PatternQuality.Tests.Online;

public class PrequentialEvaluatorTests
{
    private static PrequentialEvaluator CreateSut(int window = 100) => new(window);

    [Fact]
    public void GetMetrics_MoreRecordsThanWindow_CoversOnlyTheLastWindow()
    {
        var sut = CreateSut(100);
        var (labels, scores) = Random(250, seed: 1);

        for (var i = 0; i < labels.Length; i++)
        {
            sut.Add(labels[i], scores[i]);
        }

        var m = sut.GetMetrics();
        var lastLabels = labels[150..];
        var lastScores = scores[150..];
        Assert.Equal(100, m.WindowCount);
        Assert.Equal(250, m.TotalCount);
        Assert.Equal(Metrics.Auc(lastLabels, lastScores), m.Auc, 9);
        Assert.Equal(Metrics.LogLoss(lastLabels, lastScores), m.LogLoss, 6);
        Assert.Equal(lastLabels.Zip(lastScores, (l, s) => (double)(s - l) * (s - l)).Average(), m.Brier, 6);
        Assert.Equal(lastLabels.Average(l => (double)l), m.PositiveRate, 9);
        Assert.Equal(Metrics.LogLoss(labels, scores), m.CumulativeLogLoss, 6);
    }

    [Fact]
    public void Add_Batch_SameAsOneByOneAndReturnsLosses()
    {
        var (labels, scores) = Random(80, seed: 2);
        var one = CreateSut();
        var batch = CreateSut();
        var losses = new double[80];

        for (var i = 0; i < labels.Length; i++)
        {
            Assert.Equal(Metrics.LogLoss([labels[i]], [scores[i]]), one.Add(labels[i], scores[i]), 9);
        }

        batch.Add(labels, scores, losses);

        Assert.Equal(one.GetMetrics(), batch.GetMetrics());
        Assert.Equal(Metrics.LogLoss(labels, scores), losses.Average(), 9);
    }

    [Fact]
    public void GetMetrics_OneClassOnly_AucIsNaNOthersDefined()
    {
        var sut = CreateSut();
        sut.Add([1f, 1f, 1f], [0.9f, 0.5f, 0.7f]);

        var m = sut.GetMetrics();

        Assert.True(double.IsNaN(m.Auc));
        Assert.False(double.IsNaN(m.LogLoss));
    }

    [Fact]
    public void GetMetrics_Empty_AllNaN()
    {
        var m = CreateSut().GetMetrics();

        Assert.Equal(0, m.WindowCount);
        Assert.True(double.IsNaN(m.LogLoss));
        Assert.True(double.IsNaN(m.CumulativeLogLoss));
    }

    [Fact]
    public void Add_CertainAndWrong_LossIsBoundedNotInfinite()
    {
        var sut = CreateSut();

        var loss = sut.Add(1f, 0f);

        Assert.True(double.IsFinite(loss));
        Assert.InRange(loss, 34, 35);
    }

    [Fact]
    public void Add_BadRecordInBatch_ThrowsAndRecordsNothing()
    {
        var sut = CreateSut();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => sut.Add([1f, 0f], [0.5f, float.NaN]));

        Assert.Contains("record 1", ex.Message);
        Assert.Equal(0, sut.GetMetrics().TotalCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => sut.Add(2f, 0.5f));
    }

    [Fact]
    public void Constructor_WindowTooSmall_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new PrequentialEvaluator(1));

        Assert.Equal("windowSize", ex.ParamName);
    }

    [Fact]
    public async Task Add_FromManyThreads_CountsEveryRecord()
    {
        var sut = CreateSut(1000);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                sut.Add(i % 2, 0.5f);
                _ = sut.GetMetrics();
            }
        })));

        Assert.Equal(2000, sut.GetMetrics().TotalCount);
    }

    [Fact]
    public void Reset_AfterRecords_StartsOver()
    {
        var sut = CreateSut();
        sut.Add(1f, 0.2f);

        sut.Reset();

        Assert.Equal(0, sut.GetMetrics().TotalCount);
    }

    private static (float[] Labels, float[] Scores) Random(int n, int seed)
    {
        var random = new Random(seed);
        var labels = new float[n];
        var scores = new float[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = random.Next(2);
            scores[i] = (float)Math.Clamp((0.3 * labels[i]) + (random.NextDouble() * 0.7), 0, 1);
        }

        return (labels, scores);
    }
}
