using PatternQuality.Data;
using PatternQuality.Online;
using PatternQuality.Online.Internal;

namespace PatternQuality.Tests.Online.Internal;

public class OnlineLogisticRegressionPredictorTests
{
    private static readonly FeatureSchema _schema = new(
    [
        new FeatureDefinition("x", FeatureKind.Numeric),
        new FeatureDefinition("type", FeatureKind.Categorical, ["a", "b", "c"]),
    ]);

    [Fact]
    public void WriteTo_ThenReadFrom_ScoresIdentically()
    {
        var sut = CreateSut();
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            sut.WriteTo(w);
        }

        ms.Position = 0;
        using var r = new BinaryReader(ms);
        var restored = OnlineLogisticRegressionPredictor.ReadFrom(r);

        Assert.Equal(sut.Schema, restored.Schema);
        Assert.Equal(sut.ExamplesSeen, restored.ExamplesSeen);
        foreach (var row in new[] { new[] { 0.5f, 1f }, [float.NaN, 3f], [-2f, float.NaN] })
        {
            Assert.Equal(sut.PredictProbability(row), restored.PredictProbability(row));
        }
    }

    [Fact]
    public void ReadFrom_LearnerFormat_ThrowsPatternQualityException()
    {
        var learner = new OnlineLogisticRegression();
        learner.Update(Data());
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            learner.WriteTo(w);
        }

        ms.Position = 0;
        using var r = new BinaryReader(ms);

        var ex = Assert.Throws<PatternQualityException>(() => OnlineLogisticRegressionPredictor.ReadFrom(r));
        Assert.Contains("signature", ex.Message);
    }

    [Fact]
    public void PredictProbability_WrongVectorLength_ThrowsNamingCounts()
    {
        var sut = CreateSut();

        var ex = Assert.Throws<ArgumentException>(() => sut.PredictProbability([1f, 2f, 3f]));

        Assert.Contains("3 values", ex.Message);
    }

    [Fact]
    public void PredictProbability_BatchNotWholeRows_Throws()
    {
        var sut = CreateSut();

        Assert.Throws<ArgumentException>(() => sut.PredictProbability(new float[3], new float[2]));
        Assert.Throws<ArgumentException>(() => sut.PredictProbability(new float[4], new float[1]));
    }

    [Fact]
    public void PredictProbability_InfiniteNumeric_ThrowsNamingFeature()
    {
        var sut = CreateSut();

        var ex = Assert.Throws<ArgumentException>(() => sut.PredictProbability([float.PositiveInfinity, 1f]));

        Assert.Contains("'x'", ex.Message);
    }

    private static OnlineLogisticRegressionPredictor CreateSut()
        => (OnlineLogisticRegressionPredictor)new OnlineLogisticRegression().Update(Data());

    private static Dataset Data()
    {
        var random = new Random(1);
        var f = new float[200];
        var l = new float[100];
        for (var i = 0; i < 100; i++)
        {
            f[2 * i] = (float)random.NextDouble();
            f[(2 * i) + 1] = 1 + random.Next(3);
            l[i] = random.Next(2);
        }

        return new Dataset(_schema, f, l);
    }
}
