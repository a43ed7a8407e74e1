namespace PatternQuality.Data;

/// <summary>
/// Thrown when a data file cannot be read as asked: the message names the file and, where there is one, the line and
/// column at fault. Nothing is returned half-read.
/// </summary>
public sealed class DataFormatException : PatternQualityException
{
    /// <summary>Initializes a new instance of the <see cref="DataFormatException"/> class.</summary>
    /// <param name="path">The file at fault.</param>
    /// <param name="line">The 1-based line number, or <see langword="null"/> when the problem is not on one line.</param>
    /// <param name="column">The column name, or <see langword="null"/>.</param>
    /// <param name="problem">What is wrong.</param>
    public DataFormatException(string path, long? line, string? column, string problem)
        : base(BuildMessage(path, line, column, problem))
    {
        Path = path;
        Line = line;
        Column = column;
    }

    /// <summary>Gets the file at fault.</summary>
    public string Path { get; }

    /// <summary>Gets the 1-based line number at fault, if any.</summary>
    public long? Line { get; }

    /// <summary>Gets the column at fault, if any.</summary>
    public string? Column { get; }

    private static string BuildMessage(string path, long? line, string? column, string problem)
    {
        var where = path;
        if (line is { } l)
        {
            where += $", line {l}";
        }

        if (column is not null)
        {
            where += $", column '{column}'";
        }

        return $"{where}: {problem}";
    }
}
