using PatternQuality.Data;
using PatternQuality.Trees;

namespace PatternQuality.Tests.Trees;

public class BoostingSessionTests
{
    [Fact]
    public void AddTrees_WithTheStartMargins_MatchesContinueTraining()
    {
        var (train, test) = TestData.Coupon;
        var options = new GradientBoostingOptions { NumberOfTrees = 10, Seed = 3, NumberOfThreads = 1 };
        var start = new GradientBoostingLearner(options).Fit(train);
        var session = new BoostingSession(options);
        var margins = new double[test.RowCount];
        for (var r = 0; r < margins.Length; r++)
        {
            margins[r] = start.PredictRaw(test.GetRow(r));
        }

        var added = session.AddTrees(start.Ensemble, test, margins, session.Bin(test, CancellationToken.None), 5, CancellationToken.None);
        var continued = new GradientBoostingLearner(options).ContinueTraining(start, test, 5);

        Assert.Equal(15, added.Trees.Length);
        Assert.Same(start.Ensemble.Trees[0], added.Trees[0]);
        for (var r = 0; r < test.RowCount; r += 17)
        {
            Assert.Equal(continued.Ensemble.PredictBinaryRaw(test.GetRow(r)), added.PredictBinaryRaw(test.GetRow(r)), 9);
        }
    }

    [Fact]
    public void AddTrees_BadArguments_Throw()
    {
        var (train, _) = TestData.Coupon;
        var session = new BoostingSession(new GradientBoostingOptions { NumberOfTrees = 2, NumberOfThreads = 1 });
        var start = new GradientBoostingLearner(new GradientBoostingOptions { NumberOfTrees = 2 }).Fit(train);
        var bins = session.Bin(train, CancellationToken.None);
        Assert.Throws<ArgumentOutOfRangeException>(() => session.AddTrees(start.Ensemble, train, new double[train.RowCount], bins, 0, CancellationToken.None));
        Assert.Throws<ArgumentException>(() => session.AddTrees(start.Ensemble, train, new double[3], bins, 1, CancellationToken.None));
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new BoostingSession(new GradientBoostingOptions { NumberOfLeaves = 0 }));
    }
}
