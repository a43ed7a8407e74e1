namespace PatternQuality.Internal;

/// <summary>
/// A row that may hold some columns as numbers already parsed (the CSV loader's typed columns): the row extractor
/// reads those without going through text.
/// </summary>
internal interface INumericRow
{
    /// <summary>Reads a numeric column.</summary>
    /// <param name="column">The column name.</param>
    /// <param name="value">The number, or <see langword="null"/> when the cell is empty.</param>
    /// <returns><see langword="false"/> when the column is not held as numbers (read its text instead).</returns>
    bool TryGetNumber(string column, out double? value);
}
