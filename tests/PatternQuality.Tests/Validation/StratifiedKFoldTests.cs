using PatternQuality.Validation;

namespace PatternQuality.Tests.Validation;

public class StratifiedKFoldTests
{
    [Fact]
    public void Split_Always_CoversEveryRowOnceAndKeepsTheLabelMix()
    {
        var labels = Enumerable.Range(0, 103).Select(i => i % 4 == 0 ? 1f : 0f).ToArray();
        var sut = new StratifiedKFold(5, seed: 7);

        var folds = sut.Split(labels);

        Assert.Equal(5, folds.Count);
        Assert.Equal(Enumerable.Range(0, 103), folds.SelectMany(f => f.TestRows).Order());
        foreach (var f in folds)
        {
            Assert.Equal(103, f.TrainRows.Count + f.TestRows.Count);
            Assert.Empty(f.TrainRows.Intersect(f.TestRows));
            var positives = f.TestRows.Count(r => labels[r] == 1f);
            Assert.InRange(positives, 5, 6);
            Assert.InRange(f.TestRows.Count, 20, 21);
        }
    }

    [Fact]
    public void Split_SameSeed_GivesTheSameFolds()
    {
        var labels = Enumerable.Range(0, 50).Select(i => (float)(i % 2)).ToArray();

        var a = new StratifiedKFold(3, 1).Split(labels);
        var b = new StratifiedKFold(3, 1).Split(labels);

        Assert.Equal(a.Select(f => f.TestRows.ToArray()), b.Select(f => f.TestRows.ToArray()));
    }

    [Fact]
    public void Split_FewerRowsThanFolds_Throws()
    {
        Assert.Throws<ArgumentException>(() => new StratifiedKFold(5).Split([0, 1, 0]));
    }

    [Fact]
    public void Constructor_OneFold_ThrowsNamingFolds()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new StratifiedKFold(1));
        Assert.Equal("folds", ex.ParamName);
    }
}
