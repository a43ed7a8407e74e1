using System.Globalization;
using PatternQuality.Data;

namespace PatternQuality.Experiments;

/// <summary>
/// Reads an experiment's impression log from CSV and replays it into an <see cref="ExperimentReport"/>, peeking once
/// per day so the sequential test sees the same history a team looking every day would have seen.
/// </summary>
/// <remarks>
/// One row per suggestion shown. Columns (header names, any order): <c>unit</c> and <c>variant</c> (required);
/// <c>day</c> (a whole number or a date; rows are peeked at in ascending day order; absent: one peek at the end);
/// <c>position</c> (1-based; default 1); <c>accepted</c> and <c>clicked</c> (0/1; default 0); <c>seconds</c> (time to
/// action; empty when the user did not act).
/// </remarks>
public static class ExperimentLog
{
    /// <summary>Reads a log and builds the report.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="experiment">The experiment the log belongs to.</param>
    /// <param name="alpha">The significance level.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The report.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">A required column is missing or a cell cannot be read; the message names the line and column.</exception>
    public static ExperimentReport Report(string path, Experiment experiment, double alpha = 0.05, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(experiment);
        var table = CsvTable.Read(path, cancellationToken: cancellationToken);
        int unit = Required(table, "unit"), variant = Required(table, "variant");
        int day = table.IndexOf("day"), position = table.IndexOf("position"), accepted = table.IndexOf("accepted"),
            clicked = table.IndexOf("clicked"), seconds = table.IndexOf("seconds");
        var rows = new List<(string Day, int Row)>(table.RowCount);
        for (var r = 0; r < table.RowCount; r++)
        {
            rows.Add((day >= 0 ? table[r, day].Trim() : string.Empty, r));
        }

        // Whole numbers order numerically, dates and other text ordinally (ISO dates sort correctly as text).
        var ordered = rows.OrderBy(x => long.TryParse(x.Day, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : long.MinValue)
            .ThenBy(x => x.Day, StringComparer.Ordinal).ThenBy(x => x.Row).ToList();
        var tracker = new ExperimentTracker(experiment);
        var peeks = new List<IReadOnlyList<VariantMetrics>>();
        for (var i = 0; i < ordered.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var r = ordered[i].Row;
            var v = table[r, variant].Trim();
            if (!experiment.Variants.Any(x => x.Name == v))
            {
                throw new DataFormatException(path, table.GetLine(r), "variant", $"'{v}' is not a variant of experiment '{experiment.Id}'.");
            }

            var assignment = new ExperimentAssignment(experiment.Id, v, true, false);
            var u = table[r, unit].Trim();
            if (u.Length == 0)
            {
                throw new DataFormatException(path, table.GetLine(r), "unit", "the unit is empty.");
            }

            var pos = position >= 0 ? Int(table, path, r, position, 1) : 1;
            if (pos < 1)
            {
                throw new DataFormatException(path, table.GetLine(r), "position", "positions start at 1.");
            }

            tracker.RecordImpression(assignment, u, pos);
            var isAccepted = accepted >= 0 && Int(table, path, r, accepted, 0) != 0;
            var isClicked = clicked >= 0 && Int(table, path, r, clicked, 0) != 0;
            TimeSpan? time = null;
            if (seconds >= 0 && table[r, seconds].Trim() is { Length: > 0 } text)
            {
                time = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && double.IsFinite(s) && s >= 0
                    ? TimeSpan.FromSeconds(s)
                    : throw new DataFormatException(path, table.GetLine(r), "seconds", $"cannot read '{text}' as seconds >= 0.");
            }

            if (isAccepted || isClicked || time is not null)
            {
                tracker.RecordOutcome(assignment, u, isAccepted, isClicked, pos, time);
            }

            if (i == ordered.Count - 1 || ordered[i + 1].Day != ordered[i].Day)
            {
                peeks.Add(tracker.Snapshot());
            }
        }

        if (peeks.Count == 0)
        {
            peeks.Add(tracker.Snapshot());
        }

        return ExperimentReport.Create(experiment, peeks, alpha);
    }

    private static int Required(CsvTable table, string name)
    {
        var i = table.IndexOf(name);
        return i >= 0 ? i : throw new DataFormatException(table.Path, null, name, $"the experiment log needs a '{name}' column; the columns are: {string.Join(", ", table.Header)}.");
    }

    private static int Int(CsvTable table, string path, int row, int column, int empty)
    {
        var text = table[row, column].Trim();
        if (text.Length == 0)
        {
            return empty;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new DataFormatException(path, table.GetLine(row), table.Header[column], $"cannot read '{text}' as a whole number.");
    }
}
