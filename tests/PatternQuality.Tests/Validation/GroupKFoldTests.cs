using PatternQuality.Validation;

namespace PatternQuality.Tests.Validation;

public class GroupKFoldTests
{
    [Fact]
    public void Split_Always_KeepsEachGroupInOneFold()
    {
        var groups = Enumerable.Range(0, 200).Select(i => (string?)$"user{i % 17}").ToArray();

        var folds = new GroupKFold(4).Split(groups);

        Assert.Equal(Enumerable.Range(0, 200), folds.SelectMany(f => f.TestRows).Order());
        foreach (var f in folds)
        {
            var inTest = f.TestRows.Select(r => groups[r]).ToHashSet();
            Assert.DoesNotContain(f.TrainRows, r => inTest.Contains(groups[r]));
        }
    }

    [Fact]
    public void Split_NullKeys_AreGroupsOfTheirOwn()
    {
        var folds = new GroupKFold(2).Split([null, null, "a", "a"]);

        Assert.Equal([2, 2], folds.Select(f => f.TestRows.Count).Order().ToArray());
    }

    [Fact]
    public void Split_FewerGroupsThanFolds_ThrowsNamingTheCounts()
    {
        var ex = Assert.Throws<ArgumentException>(() => new GroupKFold(3).Split(["a", "b", "a"]));
        Assert.Contains("2 distinct groups", ex.Message, StringComparison.Ordinal);
    }
}
