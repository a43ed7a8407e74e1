using PatternQuality.Calibration;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Learning;
using PatternQuality.Scoring.Internal;
using PatternQuality.Storage;
using PatternQuality.Trees;

namespace PatternQuality.Scoring;

/// <summary>
/// The model a host scores with: a trained predictor, the calibrator fitted on its out-of-fold predictions, and what
/// the features need at scoring time (the history-feature state and, for models trained on CSV rows, the column
/// mapping). Immutable and thread-safe; saved and loaded as one versioned, checksummed file.
/// </summary>
public sealed class QualityModel : IQualityModel
{
    private readonly IPredictor _predictor;
    private readonly Calibrator _calibrator;
    private readonly int _featureCount;

    /// <summary>Initializes a new quality model.</summary>
    /// <param name="predictor">The trained predictor. Only <see cref="TreeEnsembleModel"/> predictors can be saved.</param>
    /// <param name="calibrator">The calibrator, or <see langword="null"/> for none.</param>
    /// <param name="info">What the model is; defaults to the predictor's schema with trainer <c>custom</c>.</param>
    /// <param name="history">The history-feature state as of the end of training, or <see langword="null"/>.</param>
    /// <param name="columns">For models of CSV rows: the column mapping that rebuilds the row extractor, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="predictor"/> is null.</exception>
    /// <exception cref="SchemaMismatchException"><paramref name="info"/> names another schema than the predictor's.</exception>
    public QualityModel(
        IPredictor predictor,
        Calibrator? calibrator = null,
        ModelInfo? info = null,
        HistoryState? history = null,
        IReadOnlyList<RowColumn>? columns = null)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        info ??= new ModelInfo(predictor.Schema, predictor switch
        {
            TreeEnsembleModel { IsRandomForest: true } => "forest",
            TreeEnsembleModel { IsRanking: true } => "lambdarank",
            TreeEnsembleModel => "gbdt",
            _ => "custom",
        });
        predictor.Schema.EnsureCompatible(info.Schema);
        _predictor = predictor;
        _calibrator = calibrator ?? IdentityCalibrator.Instance;
        _featureCount = predictor.Schema.Count;
        Info = info;
        History = history;
        Columns = columns;
    }

    /// <inheritdoc />
    public ModelInfo Info { get; }

    /// <summary>Gets the trained predictor (uncalibrated).</summary>
    public IPredictor Predictor => _predictor;

    /// <summary>Gets the calibrator applied to the predictor's probabilities.</summary>
    public Calibrator Calibrator => _calibrator;

    /// <summary>Gets the history-feature state saved with the model, or <see langword="null"/>.</summary>
    /// <remarks>Treat it as read-only: clone it (<see cref="HistoryState.Clone"/>) before observing new feedback.</remarks>
    public HistoryState? History { get; }

    /// <summary>Gets the CSV column mapping saved with the model, or <see langword="null"/>.</summary>
    public IReadOnlyList<RowColumn>? Columns { get; }

    /// <inheritdoc />
    public float Score(ReadOnlySpan<float> features)
    {
        if (features.Length != _featureCount)
        {
            throw new ArgumentException($"The feature vector has {features.Length} values; the model's schema has {_featureCount} features.", nameof(features));
        }

        return _calibrator.Calibrate(_predictor.PredictProbability(features));
    }

    /// <inheritdoc />
    public void Score(ReadOnlySpan<float> features, Span<float> destination)
    {
        if (features.Length % _featureCount != 0)
        {
            throw new ArgumentException($"{features.Length} values are not a whole number of rows of {_featureCount} features.", nameof(features));
        }

        var rows = features.Length / _featureCount;
        if (destination.Length < rows)
        {
            throw new ArgumentException($"The destination holds {destination.Length} scores for {rows} rows.", nameof(destination));
        }

        var dest = destination[..rows];
        _predictor.PredictProbability(features, dest);
        _calibrator.Calibrate(dest, dest);
    }

    /// <summary>
    /// Gets a value indicating whether the predictor is a ranking model (LambdaRank): it orders candidates by
    /// <see cref="PredictRankingScores"/>, and <see cref="Score(ReadOnlySpan{float})"/> is an acceptance probability only
    /// when a calibrator was fitted on its scores (as <c>QualityTrainerOptions.Ranking</c> training does).
    /// </summary>
    public bool IsRanking => _predictor is TreeEnsembleModel { IsRanking: true };

    /// <summary>Writes the ranking model's own score of each row: LambdaRank's raw score, uncalibrated; only the order among candidates means anything.</summary>
    /// <param name="features">Whole rows laid out by <see cref="ModelInfo.Schema"/>.</param>
    /// <param name="destination">Receives one score per row.</param>
    /// <exception cref="InvalidOperationException">The model is not a ranking model (<see cref="IsRanking"/> is false).</exception>
    /// <exception cref="ArgumentException">The features are not whole rows, or the destination is too short.</exception>
    public void PredictRankingScores(ReadOnlySpan<float> features, Span<float> destination)
    {
        if (_predictor is not TreeEnsembleModel { IsRanking: true } ranker)
        {
            throw new InvalidOperationException($"Model '{Info.Trainer}' is not a ranking model; its scores are probabilities (Score).");
        }

        if (features.Length % _featureCount != 0)
        {
            throw new ArgumentException($"{features.Length} values are not a whole number of rows of {_featureCount} features.", nameof(features));
        }

        var rows = features.Length / _featureCount;
        if (destination.Length < rows)
        {
            throw new ArgumentException($"The destination holds {destination.Length} scores for {rows} rows.", nameof(destination));
        }

        for (var i = 0; i < rows; i++)
        {
            destination[i] = (float)ranker.PredictRaw(features.Slice(i * _featureCount, _featureCount));
        }
    }

    /// <summary>Gets a value indicating whether the model can explain its scores (its predictor is a tree model).</summary>
    public bool CanExplain => _predictor is TreeEnsembleModel;

    /// <summary>
    /// Writes the exact TreeSHAP contributions of one row to the raw score (log-odds for a boosted model, probability
    /// for a forest): one value per schema feature, then the bias; they sum to the raw score.
    /// </summary>
    /// <param name="features">A vector laid out by <see cref="ModelInfo.Schema"/>.</param>
    /// <param name="destination">Receives the schema's feature count + 1 values.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    /// <exception cref="NotSupportedException">The predictor is not a tree model (see <see cref="CanExplain"/>).</exception>
    public void PredictContributions(ReadOnlySpan<float> features, Span<double> destination)
    {
        var tree = _predictor as TreeEnsembleModel
            ?? throw new NotSupportedException($"Explanations need a tree model; this model's predictor is a {_predictor.GetType().Name}.");
        tree.PredictContributions(features, destination);
    }

    /// <summary>Returns a copy with other model information (for example once a version id is assigned).</summary>
    /// <param name="info">The new information; its schema must be the model's.</param>
    /// <returns>The copy.</returns>
    public QualityModel WithInfo(ModelInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new QualityModel(_predictor, _calibrator, info, History, Columns);
    }

    /// <summary>Returns a copy with another calibrator.</summary>
    /// <param name="calibrator">The calibrator.</param>
    /// <returns>The copy.</returns>
    public QualityModel WithCalibrator(Calibrator calibrator)
    {
        ArgumentNullException.ThrowIfNull(calibrator);
        return new QualityModel(_predictor, calibrator, Info, History, Columns);
    }

    /// <summary>Returns a copy with another history-feature state.</summary>
    /// <param name="history">The state, or <see langword="null"/>.</param>
    /// <returns>The copy.</returns>
    public QualityModel WithHistory(HistoryState? history) => new(_predictor, _calibrator, Info, history, Columns);

    /// <summary>Rebuilds the extractor for CSV rows that this model was trained with, history state included.</summary>
    /// <returns>An extractor whose schema is the model's.</returns>
    /// <exception cref="InvalidOperationException">The model was not trained on CSV rows (it has no column mapping).</exception>
    public FeatureExtractor<IReadOnlyDictionary<string, string?>> CreateRowExtractor()
    {
        if (Columns is null)
        {
            throw new InvalidOperationException("This model has no CSV column mapping; it was trained with a custom feature extractor.");
        }

        var extractor = RowFeatureExtractor.Restore(Columns, Info.Schema);
        return History is null ? extractor : extractor.WithHistory(History.Clone());
    }

    /// <summary>Serializes the model.</summary>
    /// <returns>The model file's bytes.</returns>
    /// <exception cref="NotSupportedException">The predictor is of a kind that cannot be saved, or the file would exceed the
    /// format's limit of <see cref="Array.MaxLength"/> bytes (about 2 GB; a section length is an int32 and a model is
    /// verified and parsed from one array). The limit is checked before any byte is written, and the message names the size.</exception>
    public byte[] ToBytes() => QualityModelFormat.Write(this);

    /// <summary>Writes the model to a stream.</summary>
    /// <param name="stream">A writable stream.</param>
    /// <exception cref="NotSupportedException">As for <see cref="ToBytes"/>: nothing is written to <paramref name="stream"/> then.</exception>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var bytes = ToBytes();
        stream.Write(bytes);
    }

    /// <summary>Reads a model written by <see cref="ToBytes"/>.</summary>
    /// <param name="data">The model file's bytes.</param>
    /// <returns>The model.</returns>
    /// <exception cref="Serialization.ModelFormatException">The bytes are not a PatternQuality model file, are truncated or corrupt, or come from an unsupported version.</exception>
    public static QualityModel Load(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return QualityModelFormat.Read(data);
    }

    /// <summary>Reads a model from a stream.</summary>
    /// <param name="stream">A readable stream positioned at the start of the model file.</param>
    /// <returns>The model.</returns>
    /// <exception cref="Serialization.ModelFormatException">The content is not a valid model file.</exception>
    public static QualityModel Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        return Load(ms.ToArray());
    }

    /// <summary>Reads a model version a store returned (for example from the version manager's <c>LoadAsync</c>).</summary>
    /// <param name="stored">The stored version; its checksum was verified by the store.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stored"/> is null.</exception>
    /// <exception cref="ModelStoreCorruptedException">The bytes are intact as stored but are not a model this library reads; the message names the version's file and the problem.</exception>
    public static QualityModel Load(StoredModel stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        try
        {
            return Load(stored.Content.ToArray());
        }
        catch (Serialization.ModelFormatException ex)
        {
            throw new ModelStoreCorruptedException(stored.Location ?? $"model version '{stored.Metadata.Version}'", ex.Message, ex);
        }
    }

    /// <summary>Returns the CSV columns this model reads that <paramref name="availableColumns"/> lacks (none for models without a column mapping).</summary>
    /// <param name="availableColumns">The columns a data file has (its header).</param>
    /// <returns>The missing column names, in the model's order, each once.</returns>
    /// <remarks>Check before mapping rows: a missing column would otherwise read as a column of missing values.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="availableColumns"/> is null.</exception>
    public IReadOnlyList<string> GetMissingColumns(IEnumerable<string> availableColumns)
    {
        ArgumentNullException.ThrowIfNull(availableColumns);
        if (Columns is null)
        {
            return [];
        }

        var available = new HashSet<string>(availableColumns, StringComparer.Ordinal);
        return Columns.Select(c => c.Name).Distinct(StringComparer.Ordinal).Where(n => !available.Contains(n)).ToArray();
    }
}
