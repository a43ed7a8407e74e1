using PatternQuality.Data;
using PatternQuality.Internal;

namespace PatternQuality.Features;

/// <summary>
/// Reads delimited text files (CSV, semicolon or tab separated) into a <see cref="Dataset"/>, inferring each column's
/// kind: numeric when every value parses as a number (even with few distinct values), boolean for true/false,
/// categorical otherwise. Empty cells are missing.
/// </summary>
/// <remarks>
/// History features (<see cref="CsvLoadOptions.HistoryKeys"/>) are computed causally: rows are taken in time order
/// (file order without a time column) and each row sees only the labels of rows strictly before it in time.
/// </remarks>
public static class CsvDatasetLoader
{
    /// <summary>Summarizes a file without building a dataset; the label is optional.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">How to read it.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; every problem is listed.</exception>
    /// <exception cref="DataFormatException">The file is malformed, a named column does not exist, or a label or time cannot be read.</exception>
    public static DataInspection Inspect(string path, CsvLoadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var table = CsvTable.Read(path, options.Delimiter, options.HasHeader, StorageFor(options, null), cancellationToken);
        var plan = Plan(table, options, cancellationToken);
        return plan.Inspection;
    }

    /// <summary>Summarizes a table read before (for example by <see cref="CsvTableBuilder"/> from a Parquet file); the label is optional.</summary>
    /// <param name="table">The table.</param>
    /// <param name="options">The label, dropped, time, group and history columns (the delimiter and header settings do not apply).</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <returns>The summary, as <see cref="Inspect(string, CsvLoadOptions, CancellationToken)"/> gives for the same cells in a CSV file.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; every problem is listed.</exception>
    /// <exception cref="DataFormatException">A named column does not exist, or a label or time cannot be read.</exception>
    public static DataInspection Inspect(CsvTable table, CsvLoadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Plan(table.Conform(StorageFor(options, null)), options, cancellationToken).Inspection;
    }

    /// <summary>Reads a file into a dataset, inferring the schema and learning the categories from it.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">How to read it; <see cref="CsvLoadOptions.LabelColumn"/> is required.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The dataset, the fitted extractor, the raw rows and a summary.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; every problem is listed.</exception>
    /// <exception cref="ArgumentException">The options name no label column.</exception>
    /// <exception cref="DataFormatException">The file is malformed, a named column does not exist, or a label or time cannot be read.</exception>
    public static CsvLoadResult Load(string path, CsvLoadOptions options, CancellationToken cancellationToken = default)
        => Load(path, options, null, cancellationToken);

    /// <summary>Reads a file into a dataset with an extractor fitted before (for example on the training file), so both map rows alike.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">How to read it; <see cref="CsvLoadOptions.LabelColumn"/> is required.</param>
    /// <param name="extractor">The extractor to use, or <see langword="null"/> to infer and fit one. Its history state is updated causally.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The dataset, the extractor, the raw rows and a summary.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; every problem is listed.</exception>
    /// <exception cref="ArgumentException">The options name no label column.</exception>
    /// <exception cref="DataFormatException">The file is malformed, a named column does not exist, or a label or time cannot be read.</exception>
    public static CsvLoadResult Load(
        string path, CsvLoadOptions options, FeatureExtractor<IReadOnlyDictionary<string, string?>>? extractor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.LabelColumn is null)
        {
            throw new ArgumentException($"Loading a dataset needs {nameof(CsvLoadOptions.LabelColumn)}.", nameof(options));
        }

        var table = CsvTable.Read(path, options.Delimiter, options.HasHeader, StorageFor(options, extractor), cancellationToken);
        return Load(table, options, extractor, path, cancellationToken);
    }

    /// <summary>
    /// Reads a table read before (for example by <see cref="CsvTableBuilder"/> from a Parquet file) into a dataset,
    /// exactly as <see cref="Load(string, CsvLoadOptions, FeatureExtractor{IReadOnlyDictionary{string, string}}?, CancellationToken)"/>
    /// reads the same cells from a CSV file.
    /// </summary>
    /// <param name="table">The table.</param>
    /// <param name="options">How to read it; <see cref="CsvLoadOptions.LabelColumn"/> is required (the delimiter and header settings do not apply).</param>
    /// <param name="extractor">The extractor to use, or <see langword="null"/> to infer and fit one. Its history state is updated causally.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <returns>The dataset, the extractor, the table and a summary.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; every problem is listed.</exception>
    /// <exception cref="ArgumentException">The options name no label column.</exception>
    /// <exception cref="DataFormatException">A named column does not exist, or a label or time cannot be read.</exception>
    public static CsvLoadResult Load(
        CsvTable table, CsvLoadOptions options, FeatureExtractor<IReadOnlyDictionary<string, string?>>? extractor = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.LabelColumn is null)
        {
            throw new ArgumentException($"Loading a dataset needs {nameof(CsvLoadOptions.LabelColumn)}.", nameof(options));
        }

        // No source path: a table built in memory cannot be read again as CSV (the quality gate then maps the held-out
        // rows from the dataset instead).
        return Load(table.Conform(StorageFor(options, extractor)), options, extractor, null, cancellationToken);
    }

    private static CsvLoadResult Load(
        CsvTable table, CsvLoadOptions options, FeatureExtractor<IReadOnlyDictionary<string, string?>>? extractor, string? sourcePath, CancellationToken cancellationToken)
    {
        var path = table.Path;
        var plan = Plan(table, options, cancellationToken);
        var rowCount = table.RowCount;

        // One view moved from row to row: no object per row. The fit enumerates fresh views (it keeps none).
        extractor ??= RowFeatureExtractor.Create(plan.Columns, Enumerable.Range(0, rowCount).Select(table.GetRow), options.MinCategoryCount, options.MaxCategoricalDistinct);
        var cursor = table.CreateCursor();
        var width = extractor.Schema.Count;
        var features = new float[(long)rowCount * width];
        var labels = plan.Labels!;
        var times = plan.Times;
        var hasHistory = extractor.HistoryFeatures.Count > 0;

        // Without history, order does not matter; with it, take rows in time order and let rows that share a time
        // not see each other, so no label leaks into a row's own (or a simultaneous row's) features.
        var order = new int[rowCount];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        if (hasHistory && times is not null)
        {
            var keys = (long[])times.Clone();
            Array.Sort(keys, order);

            // Array.Sort is unstable; restore file order within equal times.
            var s = 0;
            while (s < order.Length)
            {
                var e = s + 1;
                while (e < order.Length && keys[e] == keys[s])
                {
                    e++;
                }

                Array.Sort(order, s, e - s);
                s = e;
            }
        }

        var start = 0;
        while (start < order.Length)
        {
            if ((start & 0x3FF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var end = start + 1;
            if (hasHistory && times is not null)
            {
                while (end < order.Length && times[order[end]] == times[order[start]])
                {
                    end++;
                }
            }

            for (var k = start; k < end; k++)
            {
                var r = order[k];
                cursor.Row = r;
                try
                {
                    extractor.Extract(cursor, features.AsSpan((int)((long)r * width), width));
                }
                catch (PatternQualityException ex)
                {
                    throw new DataFormatException(path, table.GetLine(r), null, ex.Message);
                }
            }

            if (hasHistory)
            {
                for (var k = start; k < end; k++)
                {
                    cursor.Row = order[k];
                    extractor.Observe(cursor, labels[order[k]]);
                }
            }

            start = end;
        }

        string?[]? groups = null;
        if (options.GroupColumn is { } g)
        {
            var gi = table.IndexOf(g);
            groups = new string?[rowCount];
            for (var i = 0; i < groups.Length; i++)
            {
                var v = table[i, gi];
                groups[i] = ValueParser.IsMissing(v) ? null : v;
            }
        }

        var dataset = new Dataset(extractor.Schema, features, labels, null, times, groups);
        return new CsvLoadResult(dataset, extractor, plan.Columns, table, plan.Inspection) { SourcePath = sourcePath, Options = options, ClassNames = plan.ClassNames };
    }

    /// <summary>Infers how each column of a table becomes features, by the rules of <paramref name="options"/>.</summary>
    /// <param name="table">The raw table.</param>
    /// <param name="options">The label, dropped, time and history columns.</param>
    /// <returns>The feature columns, in file order, then one history column per history key.</returns>
    /// <exception cref="DataFormatException">A column named in the options does not exist.</exception>
    public static IReadOnlyList<RowColumn> InferColumns(CsvTable table, CsvLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Plan(table, options, CancellationToken.None, labels: false).Columns;
    }

    private static LoadPlan Plan(CsvTable table, CsvLoadOptions options, CancellationToken cancellationToken, bool labels = true)
    {
        RequireColumn(table, options.LabelColumn, "label");
        RequireColumn(table, options.TimeColumn, "time");
        RequireColumn(table, options.GroupColumn, "group");
        foreach (var c in options.Drop)
        {
            RequireColumn(table, c, "dropped");
        }

        foreach (var c in options.HistoryKeys)
        {
            RequireColumn(table, c, "history key");
        }

        var drop = new HashSet<string>(options.Drop, StringComparer.Ordinal);
        var columns = new List<RowColumn>();
        var inspections = new List<ColumnInspection>();
        var counter = new DistinctCounter();
        for (var c = 0; c < table.Header.Count; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = table.Header[c];
            var profile = Profile(table, c, counter);
            string kind;
            if (name == options.LabelColumn)
            {
                kind = "label";
            }
            else if (drop.Contains(name))
            {
                kind = "dropped";
            }
            else if (name == options.TimeColumn)
            {
                kind = "timestamp";
                columns.Add(new RowColumn(name, RowColumnKind.Timestamp));
            }
            else
            {
                var k = profile.AllNumeric && profile.Distinct > 0 ? RowColumnKind.Numeric
                    : profile.AllBooleanWords && profile.Distinct > 0 ? RowColumnKind.Boolean
                    : RowColumnKind.Categorical;
                kind = k.ToString().ToLowerInvariant();
                columns.Add(new RowColumn(name, k));
            }

            inspections.Add(new ColumnInspection(name, kind, profile.Missing, profile.Distinct));
        }

        foreach (var key in options.HistoryKeys)
        {
            columns.Add(new RowColumn(key, RowColumnKind.History));
        }

        if (columns.Count == 0)
        {
            throw new DataFormatException(table.Path, null, null, "no column is left to make features from.");
        }

        long[]? times = null;
        DateTimeOffset? min = null, max = null;
        if (options.TimeColumn is { } timeColumn)
        {
            var ti = table.IndexOf(timeColumn);
            times = new long[table.RowCount];
            var typed = table.IsNumeric(ti);
            for (var i = 0; i < times.Length; i++)
            {
                var t = (typed ? ValueParser.TimeFromSeconds(table.GetNumber(i, ti)) : ValueParser.ParseTime(table[i, ti]))
                    ?? throw new DataFormatException(table.Path, table.GetLine(i), timeColumn,
                        $"cannot read '{table[i, ti]}' as a time (expected unix seconds or ISO 8601).");
                times[i] = t.ToUnixTimeMilliseconds();
                min = min is null || t < min ? t : min;
                max = max is null || t > max ? t : max;
            }
        }

        float[]? labelValues = null;
        int? positive = null, negative = null;
        IReadOnlyList<string>? classNames = null;
        if (labels && options.Multiclass && options.LabelColumn is { } classColumn)
        {
            (labelValues, classNames) = ReadClasses(table, classColumn, options.ClassNames);
        }
        else if (labels && options.LabelColumn is { } labelColumn)
        {
            var li = table.IndexOf(labelColumn);
            var parser = new LabelParser(options.PositiveValue, options.Threshold, options.GradedLabels);
            labelValues = new float[table.RowCount];
            var p = 0;
            var typed = table.IsNumeric(li);
            for (var i = 0; i < labelValues.Length; i++)
            {
                if (!(typed ? parser.TryParse(table.GetNumber(i, li), out labelValues[i]) : parser.TryParse(table[i, li], out labelValues[i])))
                {
                    throw new DataFormatException(table.Path, table.GetLine(i), labelColumn,
                        $"cannot read the label '{table[i, li]}'; expected {parser.Expected}.");
                }

                p += labelValues[i] > 0 ? 1 : 0;
            }

            positive = p;
            negative = labelValues.Length - p;
        }

        var inspection = new DataInspection
        {
            Rows = table.RowCount,
            Columns = inspections,
            Positive = positive,
            Negative = negative,
            TimeMin = min,
            TimeMax = max,
        };
        return new LoadPlan(columns, labelValues, times, inspection) { ClassNames = classNames };
    }

    /// <summary>Reads a class-name label column as class indexes, by the given names or the column's distinct values.</summary>
    private static (float[] Labels, IReadOnlyList<string> Names) ReadClasses(CsvTable table, string column, IList<string> given)
    {
        var li = table.IndexOf(column);
        var names = given.Select(n => n.Trim()).ToList();
        if (names.Count == 0)
        {
            var distinct = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < table.RowCount; i++)
            {
                var v = table[i, li];
                if (!ValueParser.IsMissing(v))
                {
                    distinct.Add(v!.Trim());
                }
            }

            // Numbers in numeric order (ratings 1..10 read 1, 2, ..., 10), anything else in ordinal order: the same
            // class numbering for any file with the same classes, whatever its row order.
            names = distinct.All(ValueParser.IsNumber)
                ? distinct.OrderBy(v => double.Parse(v, System.Globalization.NumberStyles.Float | System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture)).ThenBy(v => v, StringComparer.Ordinal).ToList()
                : distinct.Order(StringComparer.Ordinal).ToList();
            if (names.Count < 2)
            {
                throw new DataFormatException(table.Path, null, column, $"a multiclass label needs at least two classes; the column has {names.Count}.");
            }
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < names.Count; c++)
        {
            index[names[c]] = c;
        }

        var labels = new float[table.RowCount];
        for (var i = 0; i < labels.Length; i++)
        {
            var v = table[i, li];
            if (ValueParser.IsMissing(v) || !index.TryGetValue(v!.Trim(), out var c))
            {
                throw new DataFormatException(table.Path, table.GetLine(i), column,
                    $"cannot read the class '{v}'; expected one of {string.Join(", ", names)}.");
            }

            labels[i] = c;
        }

        return (labels, names);
    }

    private static void RequireColumn(CsvTable table, string? column, string role)
    {
        if (column is not null && table.IndexOf(column) < 0)
        {
            throw new DataFormatException(table.Path, null, column,
                $"there is no {role} column of that name; the columns are: {string.Join(", ", table.Header)}.");
        }
    }

    /// <summary>
    /// Which columns may be kept as numbers: feature columns as float (what the feature gets), the label and time as
    /// double; text where the text itself matters (groups, history keys, a positive label value, and with a fitted
    /// extractor every column that is not one of its numeric features, so a categorical "02134" stays "02134").
    /// </summary>
    private static Func<string, CsvStorage> StorageFor(CsvLoadOptions options, FeatureExtractor<IReadOnlyDictionary<string, string?>>? extractor)
    {
        HashSet<string>? numericFeatures = null;
        if (extractor is not null)
        {
            numericFeatures = new HashSet<string>(StringComparer.Ordinal);
            foreach (var f in extractor.Schema.Features)
            {
                if (f.Kind == FeatureKind.Numeric)
                {
                    numericFeatures.Add(f.Name);
                }
            }
        }

        return name =>
        {
            if (name == options.LabelColumn)
            {
                return options.PositiveValue is null && !options.Multiclass ? CsvStorage.Double : CsvStorage.Text;
            }

            if (name == options.TimeColumn)
            {
                return CsvStorage.Double;
            }

            if (name == options.GroupColumn || options.HistoryKeys.Contains(name))
            {
                return CsvStorage.Text;
            }

            return numericFeatures is null || numericFeatures.Contains(name) ? CsvStorage.Float : CsvStorage.Text;
        };
    }

    private static ColumnProfile Profile(CsvTable table, int column, DistinctCounter values)
    {
        if (table.IsNumeric(column))
        {
            // Distinct by value: "1" and "1.0" are one value here (as text they were two). Exact for columns of few
            // values, estimated in bounded memory for a column of a million measurements.
            values.Clear();
            var empty = 0;
            for (var i = 0; i < table.RowCount; i++)
            {
                var v = table.GetNumber(i, column);
                if (double.IsNaN(v))
                {
                    empty++;
                }
                else
                {
                    values.Add(v);
                }
            }

            return new ColumnProfile(empty, values.Count, true, false);
        }

        var distinct = new HashSet<string>(StringComparer.Ordinal);
        var missing = 0;
        var allNumeric = true;
        var allBoolean = true;
        for (var i = 0; i < table.RowCount; i++)
        {
            var v = table[i, column];
            if (ValueParser.IsMissing(v))
            {
                missing++;
                continue;
            }

            if (distinct.Add(v))
            {
                allNumeric = allNumeric && ValueParser.IsNumber(v);
                allBoolean = allBoolean && ValueParser.IsBooleanWord(v);
            }
        }

        return new ColumnProfile(missing, distinct.Count, allNumeric, allBoolean);
    }

    private sealed record ColumnProfile(int Missing, int Distinct, bool AllNumeric, bool AllBooleanWords);

    private sealed record LoadPlan(IReadOnlyList<RowColumn> Columns, float[]? Labels, long[]? Times, DataInspection Inspection)
    {
        public IReadOnlyList<string>? ClassNames { get; init; }
    }
}
