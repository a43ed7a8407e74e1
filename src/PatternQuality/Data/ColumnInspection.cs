namespace PatternQuality.Data;

/// <summary>What <see cref="DataInspection"/> found in one column.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Kind">How the column is used: <c>numeric</c>, <c>boolean</c>, <c>categorical</c>, <c>timestamp</c>, <c>label</c> or <c>dropped</c>.</param>
/// <param name="Missing">The number of rows where the value is missing.</param>
/// <param name="Distinct">The number of distinct non-missing values: exact up to 131,072 for a number column, estimated above (standard error about 0.4 %).</param>
public sealed record ColumnInspection(string Name, string Kind, int Missing, int Distinct);
