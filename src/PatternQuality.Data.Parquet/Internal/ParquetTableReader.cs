using System.Buffers;
using System.Globalization;
using Parquet;
using Parquet.Schema;
using PatternQuality.Data.Internal;

namespace PatternQuality.Data.Parquet.Internal;

/// <summary>
/// Decodes a Parquet file's row groups straight into typed column arrays sized from the footer, several row groups at
/// once (one reader, and so one file handle, per worker: a Parquet.Net reader is not thread-safe).
/// </summary>
internal static class ParquetTableReader
{
    private const string BadColumnHint = "drop it (--drop, CsvLoadOptions.Drop) or write it as a flat number, boolean, time or string column.";

    public static async Task<CsvTable> ReadAsync(string path, HashSet<string> skip, CancellationToken cancellationToken)
    {
        RegularDataFile.CheckReadable(path);
        try
        {
            return await ReadCoreAsync(path, skip, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (DataFormatException or OperationCanceledException or OutOfMemoryException))
        {
            // Parquet.Net reports a damaged or foreign file with many exception types; a data file is data, so every
            // one of them becomes the loaders' own exception naming the file.
            throw new DataFormatException(path, null, null, $"the file cannot be read as Parquet ({ex.GetType().Name}: {ex.Message}).");
        }
    }

    private static async Task<CsvTable> ReadCoreAsync(string path, HashSet<string> skip, CancellationToken cancellationToken)
    {
        ColumnPlan[] plans;
        long[] groupRows;
        await using (var reader = await ParquetReader.CreateAsync(path, Options(), cancellationToken).ConfigureAwait(false))
        {
            plans = Plan(path, reader.Schema, skip);
            groupRows = new long[reader.RowGroupCount];
            for (var g = 0; g < groupRows.Length; g++)
            {
                groupRows[g] = reader.RowGroups[g].RowCount;
            }
        }

        var offsets = new int[groupRows.Length + 1];
        long total = 0;
        for (var g = 0; g < groupRows.Length; g++)
        {
            total += groupRows[g];
            if (total > Array.MaxLength)
            {
                throw new DataFormatException(path, null, null, $"the file has more than {Array.MaxLength:N0} rows, more than one table holds.");
            }

            offsets[g + 1] = (int)total;
        }

        var rows = (int)total;
        foreach (var p in plans)
        {
            p.Allocate(rows);
        }

        // Row groups are independent: each worker opens its own reader and decodes a share of them into disjoint
        // slices of the same arrays. Two readers keep both cores of a small machine busy decompressing and decoding.
        var workers = Math.Clamp(Environment.ProcessorCount, 1, Math.Max(1, groupRows.Length));
        var tasks = new Task[workers];
        for (var w = 0; w < workers; w++)
        {
            var worker = w;
            tasks[w] = Task.Run(
                async () =>
                {
                    await using var reader = await ParquetReader.CreateAsync(path, Options(), cancellationToken).ConfigureAwait(false);
                    for (var g = worker; g < groupRows.Length; g += workers)
                    {
                        using var group = reader.OpenRowGroupReader(g);
                        foreach (var p in plans)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            await p.ReadAsync(group, offsets[g], offsets[g + 1] - offsets[g], cancellationToken).ConfigureAwait(false);
                        }
                    }
                },
                cancellationToken);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        var builder = new CsvTableBuilder(path);
        foreach (var p in plans)
        {
            p.AddTo(builder);
        }

        return builder.Build();
    }

    private static ParquetOptions Options() => new() { TreatByteArrayAsString = true };

    private static ColumnPlan[] Plan(string path, ParquetSchema schema, HashSet<string> skip)
    {
        var plans = new ColumnPlan[schema.Fields.Count];
        for (var i = 0; i < plans.Length; i++)
        {
            var field = schema.Fields[i];
            if (skip.Contains(field.Name))
            {
                plans[i] = new SkippedColumn(field.Name);
                continue;
            }

            if (field is not DataField data || data.IsArray || data.MaxRepetitionLevel > 0)
            {
                throw new DataFormatException(path, null, field.Name, $"the column is nested or repeated ({field.SchemaType}); {BadColumnHint}");
            }

            plans[i] = Type.GetTypeCode(data.ClrType) switch
            {
                TypeCode.Single => new FloatColumn(data),
                TypeCode.Double => new NumberColumn<double>(data, v => v),
                TypeCode.Byte => new NumberColumn<byte>(data, v => v),
                TypeCode.SByte => new NumberColumn<sbyte>(data, v => v),
                TypeCode.Int16 => new NumberColumn<short>(data, v => v),
                TypeCode.UInt16 => new NumberColumn<ushort>(data, v => v),
                TypeCode.Int32 => new NumberColumn<int>(data, v => v),
                TypeCode.UInt32 => new NumberColumn<uint>(data, v => v),
                TypeCode.Int64 => new NumberColumn<long>(data, v => v),
                TypeCode.UInt64 => new NumberColumn<ulong>(data, v => v),
                TypeCode.Decimal => new NumberColumn<decimal>(data, v => (double)v),
                TypeCode.DateTime => new NumberColumn<DateTime>(data, UnixSeconds),
                TypeCode.Boolean => new TextOf<bool>(data, v => v ? "true" : "false"),
                TypeCode.String => new StringColumn(data),
                _ when data.ClrType == typeof(ReadOnlyMemory<char>) => new StringColumn(data), // how Parquet.Net 6 types a UTF-8 string column
                _ when data.ClrType == typeof(DateTimeOffset) => new NumberColumn<DateTimeOffset>(data, v => v.ToUnixTimeMilliseconds() / 1000.0),
                _ when data.ClrType == typeof(DateOnly) => new NumberColumn<DateOnly>(data, v => UnixSeconds(v.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc))),
                _ when data.ClrType == typeof(TimeSpan) => new NumberColumn<TimeSpan>(data, v => v.TotalSeconds),
                _ when data.ClrType == typeof(TimeOnly) => new NumberColumn<TimeOnly>(data, v => v.ToTimeSpan().TotalSeconds),
                _ when data.ClrType == typeof(Guid) => new TextOf<Guid>(data, v => v.ToString("D", CultureInfo.InvariantCulture)),
                _ => throw new DataFormatException(path, null, field.Name, $"the column's type ({data.ClrType.Name}) cannot be a feature; {BadColumnHint}"),
            };
        }

        return plans;
    }

    // A time without a zone is taken as UTC, as ISO 8601 text without an offset is.
    private static double UnixSeconds(DateTime value)
        => (DateTime.SpecifyKind(value, value.Kind == DateTimeKind.Local ? DateTimeKind.Local : DateTimeKind.Utc).ToUniversalTime() - DateTime.UnixEpoch).Ticks
            / (double)TimeSpan.TicksPerSecond;

    /// <summary>How one file column is decoded into the table.</summary>
    private abstract class ColumnPlan(string name)
    {
        public string Name { get; } = name;

        public abstract void Allocate(int rows);

        public abstract ValueTask ReadAsync(ParquetRowGroupReader group, int offset, int count, CancellationToken cancellationToken);

        public abstract void AddTo(CsvTableBuilder builder);
    }

    private sealed class SkippedColumn(string name) : ColumnPlan(name)
    {
        private string?[] _values = [];

        public override void Allocate(int rows) => _values = new string?[rows];

        public override ValueTask ReadAsync(ParquetRowGroupReader group, int offset, int count, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public override void AddTo(CsvTableBuilder builder) => builder.AddColumn(Name, _values);
    }

    /// <summary>float stays float: a required column is decoded straight into the table's array.</summary>
    private sealed class FloatColumn(DataField field) : ColumnPlan(field.Name)
    {
        private float[] _values = [];

        public override void Allocate(int rows) => _values = new float[rows];

        public override async ValueTask ReadAsync(ParquetRowGroupReader group, int offset, int count, CancellationToken cancellationToken)
        {
            if (!field.IsNullable)
            {
                await group.ReadAsync(field, _values.AsMemory(offset, count), null, cancellationToken).ConfigureAwait(false);
                return;
            }

            var buffer = ArrayPool<float?>.Shared.Rent(count);
            try
            {
                await group.ReadAsync<float>(field, buffer.AsMemory(0, count), null, cancellationToken).ConfigureAwait(false);
                var target = _values.AsSpan(offset, count);
                for (var i = 0; i < target.Length; i++)
                {
                    target[i] = buffer[i] ?? float.NaN;
                }
            }
            finally
            {
                ArrayPool<float?>.Shared.Return(buffer);
            }
        }

        public override void AddTo(CsvTableBuilder builder) => builder.AddColumn(Name, _values);
    }

    /// <summary>Every other number, time and duration: double (NaN for null).</summary>
    private sealed class NumberColumn<T>(DataField field, Func<T, double> convert) : ColumnPlan(field.Name)
        where T : struct
    {
        private double[] _values = [];

        public override void Allocate(int rows) => _values = new double[rows];

        public override async ValueTask ReadAsync(ParquetRowGroupReader group, int offset, int count, CancellationToken cancellationToken)
        {
            if (typeof(T) == typeof(double) && !field.IsNullable)
            {
                await group.ReadAsync(field, _values.AsMemory(offset, count), null, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (field.IsNullable)
            {
                var buffer = ArrayPool<T?>.Shared.Rent(count);
                try
                {
                    await group.ReadAsync<T>(field, buffer.AsMemory(0, count), null, cancellationToken).ConfigureAwait(false);
                    for (var i = 0; i < count; i++)
                    {
                        _values[offset + i] = buffer[i] is { } v ? convert(v) : double.NaN;
                    }
                }
                finally
                {
                    ArrayPool<T?>.Shared.Return(buffer);
                }
            }
            else
            {
                var buffer = ArrayPool<T>.Shared.Rent(count);
                try
                {
                    await group.ReadAsync(field, buffer.AsMemory(0, count), null, cancellationToken).ConfigureAwait(false);
                    for (var i = 0; i < count; i++)
                    {
                        _values[offset + i] = convert(buffer[i]);
                    }
                }
                finally
                {
                    ArrayPool<T>.Shared.Return(buffer);
                }
            }
        }

        public override void AddTo(CsvTableBuilder builder) => builder.AddColumn(Name, _values);
    }

    /// <summary>Strings, decoded straight into the table's array.</summary>
    private sealed class StringColumn(DataField field) : ColumnPlan(field.Name)
    {
        private string?[] _values = [];

        public override void Allocate(int rows) => _values = new string?[rows];

        public override ValueTask ReadAsync(ParquetRowGroupReader group, int offset, int count, CancellationToken cancellationToken)
            => group.ReadAsync(field, _values.AsMemory(offset, count)!, null, cancellationToken);

        public override void AddTo(CsvTableBuilder builder) => builder.AddColumn(Name, _values);
    }

    /// <summary>Values kept as text (booleans, UUIDs): their words are what the loader infers the kind from.</summary>
    private sealed class TextOf<T>(DataField field, Func<T, string> format) : ColumnPlan(field.Name)
        where T : struct
    {
        private string?[] _values = [];

        public override void Allocate(int rows) => _values = new string?[rows];

        public override async ValueTask ReadAsync(ParquetRowGroupReader group, int offset, int count, CancellationToken cancellationToken)
        {
            var buffer = ArrayPool<T?>.Shared.Rent(count);
            try
            {
                if (field.IsNullable)
                {
                    await group.ReadAsync<T>(field, buffer.AsMemory(0, count), null, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var plain = ArrayPool<T>.Shared.Rent(count);
                    try
                    {
                        await group.ReadAsync(field, plain.AsMemory(0, count), null, cancellationToken).ConfigureAwait(false);
                        for (var i = 0; i < count; i++)
                        {
                            buffer[i] = plain[i];
                        }
                    }
                    finally
                    {
                        ArrayPool<T>.Shared.Return(plain);
                    }
                }

                for (var i = 0; i < count; i++)
                {
                    _values[offset + i] = buffer[i] is { } v ? format(v) : null;
                }
            }
            finally
            {
                ArrayPool<T?>.Shared.Return(buffer);
            }
        }

        public override void AddTo(CsvTableBuilder builder) => builder.AddColumn(Name, _values);
    }
}
