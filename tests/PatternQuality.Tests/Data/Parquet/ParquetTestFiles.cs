using Parquet;
using Parquet.Schema;
using PatternQuality.Data;

namespace PatternQuality.Tests.Data.Parquet;

/// <summary>Writes Parquet files for the tests with Parquet.Net (Debian has no pyarrow): a table's cells, typed as the table holds them.</summary>
internal static class ParquetTestFiles
{
    /// <summary>Writes every column of <paramref name="table"/>: number columns as nullable double, text columns as nullable strings; several row groups.</summary>
    public static async Task WriteAsync(CsvTable table, string path, int rowGroupSize)
    {
        var fields = new DataField[table.Header.Count];
        for (var c = 0; c < fields.Length; c++)
        {
            fields[c] = table.IsNumeric(c) ? new DataField<double?>(table.Header[c]) : new DataField<string>(table.Header[c], true);
        }

        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        for (var start = 0; start < table.RowCount; start += rowGroupSize)
        {
            var n = Math.Min(rowGroupSize, table.RowCount - start);
            using var group = writer.CreateRowGroup();
            for (var c = 0; c < fields.Length; c++)
            {
                if (table.IsNumeric(c))
                {
                    var values = new double?[n];
                    for (var i = 0; i < n; i++)
                    {
                        var v = table.GetNumber(start + i, c);
                        values[i] = double.IsNaN(v) ? null : v;
                    }

                    await group.WriteAsync<double>(fields[c], values.AsMemory(), null, null, CancellationToken.None);
                }
                else
                {
                    var values = new string?[n];
                    for (var i = 0; i < n; i++)
                    {
                        var v = table[start + i, c];
                        values[i] = v.Length == 0 ? null : v;
                    }

                    await group.WriteAsync(fields[c], values!, null);
                }
            }
        }
    }
}
