using PatternQuality.Data;
using PatternQuality.Tests.TestUtils;

namespace PatternQuality.Tests.Data;

public class CsvTableTests
{
    [Fact]
    public void Read_QuotesCrlfAndEmbeddedDelimiters_AreHandled()
    {
        using var f = new TempFile("id;text;n\r\n1;\"a;b\";2\r\n2;\"say \"\"hi\"\"\nthere\";\r\n3;plain;4\r\n");
        var sut = CsvTable.Read(f.Path, ';');

        Assert.Equal(["id", "text", "n"], sut.Header);
        Assert.Equal(3, sut.RowCount);
        Assert.Equal("a;b", sut.GetValues(0)[1]);
        Assert.Equal("say \"hi\"\nthere", sut.GetValues(1)[1]);
        Assert.Equal(string.Empty, sut.GetValues(1)[2]);
        Assert.Equal(5, sut.GetLine(2)); // the quoted line break pushes row 3 to line 5
        Assert.Equal("plain", sut.GetRow(2)["text"]);
    }

    [Fact]
    public void Read_NoDelimiterGiven_DetectsIt()
    {
        using var f = new TempFile("a\tb\n1\t2\n");
        var sut = CsvTable.Read(f.Path);
        Assert.Equal('\t', sut.Delimiter);
        Assert.Equal(["a", "b"], sut.Header);
    }

    [Fact]
    public void Read_NoHeader_NamesColumnsByPosition()
    {
        using var f = new TempFile("1,2\n3,4\n");
        var sut = CsvTable.Read(f.Path, hasHeader: false);
        Assert.Equal(["c0", "c1"], sut.Header);
        Assert.Equal(2, sut.RowCount);
    }

    [Fact]
    public void Read_RaggedRow_ThrowsNamingFileAndLine()
    {
        using var f = new TempFile("a,b,c\n1,2,3\n4,5\n");
        var ex = Assert.Throws<DataFormatException>(() => CsvTable.Read(f.Path));
        Assert.Equal(3, ex.Line);
        Assert.Contains(f.Path, ex.Message);
        Assert.Contains("line 3", ex.Message);
        Assert.Contains("2 fields but the header has 3", ex.Message);
    }

    [Fact]
    public void Read_EmptyFile_ThrowsNamingFile()
    {
        using var f = new TempFile(string.Empty);
        var ex = Assert.Throws<DataFormatException>(() => CsvTable.Read(f.Path));
        Assert.Contains("empty", ex.Message);
        Assert.Contains(f.Path, ex.Message);
    }

    [Fact]
    public void Read_HeaderOnly_Throws()
    {
        using var f = new TempFile("a,b\n");
        var ex = Assert.Throws<DataFormatException>(() => CsvTable.Read(f.Path));
        Assert.Contains("no data rows", ex.Message);
    }

    [Fact]
    public void Read_DuplicateColumnNames_ThrowsNamingColumn()
    {
        using var f = new TempFile("a,b,a\n1,2,3\n");
        var ex = Assert.Throws<DataFormatException>(() => CsvTable.Read(f.Path));
        Assert.Equal("a", ex.Column);
        Assert.Contains("columns 1 and 3", ex.Message);
    }

    [Fact]
    public void Read_UnclosedQuote_ThrowsNamingLine()
    {
        using var f = new TempFile("a,b\n1,\"open\n");
        var ex = Assert.Throws<DataFormatException>(() => CsvTable.Read(f.Path));
        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => CsvTable.Read("/nonexistent/pq.csv"));
    }

    [Fact]
    public void Read_BankFile_ReadsQuotedSemicolonCrlf()
    {
        var sut = CsvTable.Read(SharedData.Bank);
        Assert.Equal(';', sut.Delimiter);
        Assert.Equal(41188, sut.RowCount);
        Assert.Equal(21, sut.Header.Count);
        Assert.Equal("housemaid", sut.GetRow(0)["job"]);
        Assert.Equal("no", sut.GetRow(0)["y"]);
    }

    [Fact]
    public void Read_Utf8Bom_IsNotPartOfFirstColumnName()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pq-bom-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(path, "a,b\n1,2\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        try
        {
            Assert.Equal("a", CsvTable.Read(path).Header[0]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
