using PatternQuality.Evaluation;
using static PatternQuality.Tests.Evaluation.GoldenFixture;

namespace PatternQuality.Tests.Evaluation;

public class ReliabilityDiagramTests
{
    [Fact]
    public void Compute_GoldenCases_NonEmptyBinsMatchCalibrationCurve()
    {
        foreach (var c in Cases("binary_metrics.json").Where(c => c.TryGetProperty("curve_true", out _)))
        {
            var sut = ReliabilityDiagram.Compute(Floats(c.GetProperty("labels")), Floats(c.GetProperty("scores")));
            var bins = sut.Bins.Where(b => b.Count > 0).ToArray();
            var expectedTrue = Doubles(c.GetProperty("curve_true"));
            var expectedPred = Doubles(c.GetProperty("curve_pred"));

            Assert.Equal(expectedTrue.Length, bins.Length);
            for (var i = 0; i < bins.Length; i++)
            {
                Near(expectedTrue[i], bins[i].ObservedRate, 1e-9, $"{c.GetProperty("name")} bin {i} observed");
                Near(expectedPred[i], bins[i].MeanPredicted, 1e-9, $"{c.GetProperty("name")} bin {i} predicted");
            }
        }
    }

    [Fact]
    public void Compute_ScoreOnAnEdge_GoesToTheLowerBin()
    {
        var sut = ReliabilityDiagram.Compute([1, 0, 1], [0.5f, 0f, 1f], bins: 2);

        Assert.Equal(2, sut.Bins[0].Count);
        Assert.Equal(1, sut.Bins[1].Count);
    }

    [Fact]
    public void Compute_EqualMass_SplitsRowsEvenly()
    {
        var sut = ReliabilityDiagram.Compute([0, 0, 1, 1, 1], [0.1f, 0.2f, 0.3f, 0.4f, 0.5f], bins: 2, binning: CalibrationBinning.EqualMass);

        Assert.Equal([3, 2], sut.Bins.Select(b => b.Count).ToArray());
        Assert.Equal(0.1, sut.Bins[0].Lower, 6);
        Assert.Equal(0.3, sut.Bins[0].Upper, 6);
    }

    [Fact]
    public void Compute_ZeroBins_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ReliabilityDiagram.Compute([0], [0.5f], bins: 0));
    }

    [Fact]
    public void Compute_AllWeightsZero_GivesNaN()
    {
        var sut = ReliabilityDiagram.Compute([0, 1], [0.5f, 0.5f], [0f, 0f]);

        Assert.True(double.IsNaN(sut.ExpectedCalibrationError));
    }
}
