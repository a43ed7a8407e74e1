namespace PatternQuality.Cli.Reporting;

/// <summary>Everything an HTML report shows; the writer only lays it out.</summary>
internal sealed class ReportContent
{
    public required string Title { get; init; }

    /// <summary>Gets the lines under the title (data set, model version, trainer).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Summary { get; init; } = [];

    /// <summary>Gets the metrics table.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Metrics { get; init; } = [];

    /// <summary>Gets the holdout labels (0/1) the curves are drawn from; empty for a report without binary curves (multiclass).</summary>
    public required float[] Labels { get; init; }

    /// <summary>Gets the calibrated scores on the holdout.</summary>
    public required float[] Scores { get; init; }

    /// <summary>Gets feature importance by name (any non-negative scale).</summary>
    public IReadOnlyList<KeyValuePair<string, double>> FeatureImportance { get; init; } = [];

    /// <summary>Gets the global TreeSHAP summary: mean |contribution| per feature in raw units (empty when the model cannot explain).</summary>
    public IReadOnlyList<KeyValuePair<string, double>> ShapImportance { get; init; } = [];

    /// <summary>Gets the global TreeSHAP summary of a multiclass model: per class name, mean |contribution| per feature.</summary>
    public IReadOnlyList<KeyValuePair<string, IReadOnlyList<KeyValuePair<string, double>>>> ShapImportanceByClass { get; init; } = [];

    /// <summary>Gets permutation importance (mean AUC drop when the feature is shuffled) on the same rows, for comparison.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> PermutationImportance { get; init; } = [];

    /// <summary>Gets extra tables (for example the demo's version timeline): a caption, a header row and rows.</summary>
    public IReadOnlyList<ReportTable> Tables { get; init; } = [];
}

/// <summary>A plain table in a report.</summary>
internal sealed record ReportTable(string Caption, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows);
