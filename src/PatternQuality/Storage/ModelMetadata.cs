using PatternQuality.Data;

namespace PatternQuality.Storage;

/// <summary>
/// What a model store keeps beside a model's bytes: identity, lineage, provenance, evidence and the version
/// manager's bookkeeping (aliases, pins, promotion decisions).
/// </summary>
/// <remarks>Immutable; change it with a <see langword="with"/> expression and <see cref="IModelStore.UpdateMetadataAsync"/>.</remarks>
public sealed record ModelMetadata
{
    private readonly string _version = string.Empty;

    /// <summary>Initializes a new instance of the <see cref="ModelMetadata"/> class.</summary>
    /// <param name="version">The version identifier; letters, digits, '.', '-' and '_' only, so it is safe as a file name.</param>
    /// <exception cref="ArgumentException"><paramref name="version"/> is empty or has other characters.</exception>
    public ModelMetadata(string version)
    {
        Version = version;
    }

    /// <summary>Gets the version identifier.</summary>
    public string Version
    {
        get => _version;
        init
        {
            ValidateVersion(value);
            _version = value;
        }
    }

    /// <summary>Gets the version this one was trained from or compared with, if any.</summary>
    public string? ParentVersion { get; init; }

    /// <summary>Gets when the model was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets the hash of the feature schema the model reads (see <see cref="Data.FeatureSchema.Hash"/>).</summary>
    public string? SchemaHash { get; init; }

    /// <summary>Gets the sequence of the last feedback record the model has learned from (see <see cref="Feedback.FeedbackWatermark"/>).</summary>
    /// <value>The default value is -1: no feedback.</value>
    public long WatermarkSequence { get; init; } = -1;

    /// <summary>Gets the number of rows the model was trained on.</summary>
    public long TrainingRows { get; init; }

    /// <summary>Gets the evaluation metrics (for example <c>auc</c>, <c>brier</c>, <c>ece</c>).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Gets free-form properties: trainer options, library version, promotion evidence.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the aliases that point at this version (for example <c>champion</c>, <c>challenger</c>).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Gets a value indicating whether retention must never delete this version.</summary>
    public bool Pinned { get; init; }

    /// <summary>Gets whether the version was promoted: <see langword="true"/>, <see langword="false"/> (rejected) or <see langword="null"/> (not judged).</summary>
    public bool? Promoted { get; init; }

    /// <summary>Gets why the version was promoted or rejected.</summary>
    public string? Decision { get; init; }

    /// <summary>Throws unless <paramref name="version"/> is a valid version identifier.</summary>
    /// <param name="version">The identifier to check.</param>
    /// <exception cref="ArgumentException">It is empty, longer than 128 characters, or has characters other than letters, digits, '.', '-' and '_'.</exception>
    public static void ValidateVersion(string version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version, nameof(version));
        if (version.Length > 128 || version is "." or ".." || !version.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            throw new ArgumentException($"'{version}' is not a valid model version: use up to 128 letters, digits, '.', '-' and '_'.", nameof(version));
        }
    }
}
