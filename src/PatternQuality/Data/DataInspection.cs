namespace PatternQuality.Data;

/// <summary>A summary of a data file: row count, inferred column kinds, missing values, cardinalities, label balance and time range.</summary>
public sealed record DataInspection
{
    /// <summary>Gets the number of data rows.</summary>
    public required int Rows { get; init; }

    /// <summary>Gets one entry per column, in file order.</summary>
    public required IReadOnlyList<ColumnInspection> Columns { get; init; }

    /// <summary>Gets the number of approved rows, or <see langword="null"/> without a label.</summary>
    public int? Positive { get; init; }

    /// <summary>Gets the number of rejected rows, or <see langword="null"/> without a label.</summary>
    public int? Negative { get; init; }

    /// <summary>Gets the earliest row time, or <see langword="null"/> without a time column.</summary>
    public DateTimeOffset? TimeMin { get; init; }

    /// <summary>Gets the latest row time, or <see langword="null"/> without a time column.</summary>
    public DateTimeOffset? TimeMax { get; init; }
}
