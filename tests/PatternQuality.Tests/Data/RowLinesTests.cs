using PatternQuality.Data;
using PatternQuality.Data.Internal;
using PatternQuality.Tests.TestUtils;

namespace PatternQuality.Tests.Data;

/// <summary>Row lines for error messages: one number while rows are one line each, every line once they are not.</summary>
public class RowLinesTests
{
    [Fact]
    public void Add_ConsecutiveLines_KeepsNoArray()
    {
        var lines = new RowLines();
        for (var i = 0; i < 1000; i++)
        {
            lines.Add(2 + i);
        }

        Assert.Null(lines.ToArray());
        Assert.Equal(2, lines.First);
        Assert.Equal(1000, lines.Count);
    }

    [Fact]
    public void Add_AGap_KeepsEveryLine()
    {
        var lines = new RowLines();
        foreach (var l in new long[] { 2, 3, 5, 6, 9 })
        {
            lines.Add(l);
        }

        Assert.Equal([2, 3, 5, 6, 9], lines.ToArray()!);
        Assert.Equal(5, lines.Count);
    }

    [Fact]
    public void GetLine_BlankLinesAndMultiLineRecords_NamesTheLineEachRowStartsOn()
    {
        var text = "a,b\n" + string.Concat(Enumerable.Range(0, 1200).Select(i => $"{i},x\n")) + "\n\"multi\nline\",y\n7,z\n";
        using var f = new TempFile(text);
        var table = CsvTable.Read(f.Path);
        Assert.Equal(1202, table.RowCount);
        Assert.Equal(2, table.GetLine(0));
        Assert.Equal(1201, table.GetLine(1199));
        Assert.Equal(1203, table.GetLine(1200));
        Assert.Equal(1205, table.GetLine(1201));

        using var plain = new TempFile("\n\na,b\n1,2\n3,4\n");
        var t = CsvTable.Read(plain.Path);
        Assert.Equal(4, t.GetLine(0));
        Assert.Equal(5, t.GetLine(1));
    }
}
