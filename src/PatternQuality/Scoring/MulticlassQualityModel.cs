using PatternQuality.Calibration;
using PatternQuality.Data;
using PatternQuality.Features;
using PatternQuality.Scoring.Internal;
using PatternQuality.Storage;
using PatternQuality.Trees;

namespace PatternQuality.Scoring;

/// <summary>
/// A multiclass model a host predicts with: a softmax tree ensemble, the calibrator fitted on its out-of-fold raw
/// scores, the class names, and for models trained on CSV rows the column mapping. Immutable and thread-safe; saved and
/// loaded as one versioned, checksummed file (the same container as <see cref="QualityModel"/>, another predictor kind).
/// </summary>
/// <remarks>
/// It is an <see cref="IQualityModel"/> so that a <see cref="QualityModelHolder"/> publishes it and a
/// <see cref="PatternScorer{TPattern}"/> serves it (<see cref="PatternScorer{TPattern}.PredictClasses(TPattern)"/>,
/// <see cref="PatternScorer{TPattern}.ExplainClass"/>) with the same atomic swap as a binary model. It has no approval
/// probability: <see cref="IQualityModel.Score(ReadOnlySpan{float})"/> throws <see cref="NotSupportedException"/>, so a
/// component that expects a binary model refuses it loudly instead of misreading a class probability.
/// </remarks>
public sealed class MulticlassQualityModel : IQualityModel
{
    private readonly string[] _classNames;

    /// <summary>Initializes a new multiclass model.</summary>
    /// <param name="predictor">The trained softmax ensemble.</param>
    /// <param name="classNames">One name per class, in class-index order.</param>
    /// <param name="calibrator">The calibrator, or <see langword="null"/> for none (the ensemble's own softmax).</param>
    /// <param name="info">What the model is; defaults to the predictor's schema with trainer <c>gbdt</c>.</param>
    /// <param name="columns">For models of CSV rows: the column mapping that rebuilds the row extractor, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="predictor"/> or <paramref name="classNames"/> is null.</exception>
    /// <exception cref="ArgumentException">The names are not one distinct, non-empty name per class, or the calibrator has another class count.</exception>
    /// <exception cref="SchemaMismatchException"><paramref name="info"/> names another schema than the predictor's.</exception>
    public MulticlassQualityModel(
        MulticlassTreeEnsembleModel predictor,
        IReadOnlyList<string> classNames,
        MulticlassCalibrator? calibrator = null,
        ModelInfo? info = null,
        IReadOnlyList<RowColumn>? columns = null)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count != predictor.ClassCount || classNames.Any(string.IsNullOrWhiteSpace) || classNames.Distinct(StringComparer.Ordinal).Count() != classNames.Count)
        {
            throw new ArgumentException($"The model has {predictor.ClassCount} classes; it needs as many distinct, non-empty names (got {classNames.Count}: {string.Join(", ", classNames)}).", nameof(classNames));
        }

        calibrator ??= MulticlassCalibrator.Identity(predictor.ClassCount);
        if (calibrator.ClassCount != predictor.ClassCount)
        {
            throw new ArgumentException($"The calibrator is for {calibrator.ClassCount} classes; the model has {predictor.ClassCount}.", nameof(calibrator));
        }

        info ??= new ModelInfo(predictor.Schema, "gbdt");
        predictor.Schema.EnsureCompatible(info.Schema);
        Predictor = predictor;
        Calibrator = calibrator;
        _classNames = [.. classNames];
        Info = info;
        Columns = columns;
    }

    /// <summary>Gets what the model is: its schema, version, trainer and metrics.</summary>
    public ModelInfo Info { get; }

    /// <summary>Gets the trained softmax ensemble (uncalibrated).</summary>
    public MulticlassTreeEnsembleModel Predictor { get; }

    /// <summary>Gets the calibrator applied to the ensemble's raw scores.</summary>
    public MulticlassCalibrator Calibrator { get; }

    /// <summary>Gets the class names, in class-index order.</summary>
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <summary>Gets the number of classes.</summary>
    public int ClassCount => _classNames.Length;

    /// <summary>Gets the CSV column mapping saved with the model, or <see langword="null"/>.</summary>
    public IReadOnlyList<RowColumn>? Columns { get; }

    /// <summary>Writes the calibrated probability of every class for one or more rows; allocates nothing for up to 128 classes.</summary>
    /// <param name="features">Row-major vectors laid out by <see cref="ModelInfo.Schema"/>; missing values as <see cref="float.NaN"/>.</param>
    /// <param name="destination">Receives <see cref="ClassCount"/> probabilities per row (summing to 1), row after row.</param>
    /// <exception cref="ArgumentException">The lengths do not agree with the schema, the class count and each other.</exception>
    public void PredictProbabilities(ReadOnlySpan<float> features, Span<float> destination)
    {
        var width = Info.Schema.Count;
        var k = ClassCount;
        if (features.Length % width != 0)
        {
            throw new ArgumentException($"{features.Length} values are not a whole number of rows of {width} features.", nameof(features));
        }

        var rows = features.Length / width;
        if (destination.Length != rows * k)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values; {rows} rows of {k} classes need {rows * k}.", nameof(destination));
        }

        Span<double> raw = k <= 128 ? stackalloc double[k] : new double[k];
        for (var i = 0; i < rows; i++)
        {
            Predictor.PredictRaw(features.Slice(i * width, width), raw);
            Calibrator.Calibrate(raw, destination.Slice(i * k, k));
        }
    }

    /// <summary>Not supported: a multiclass model has no approval probability.</summary>
    /// <exception cref="NotSupportedException">Always; use <see cref="PredictProbabilities"/> or <see cref="PatternScorer{TPattern}.PredictClasses(TPattern)"/>.</exception>
    float IQualityModel.Score(ReadOnlySpan<float> features) => throw NotBinary();

    /// <summary>Not supported: a multiclass model has no approval probability.</summary>
    /// <exception cref="NotSupportedException">Always; use <see cref="PredictProbabilities"/> or <see cref="PatternScorer{TPattern}.PredictClasses(IReadOnlyList{TPattern})"/>.</exception>
    void IQualityModel.Score(ReadOnlySpan<float> features, Span<float> destination) => throw NotBinary();

    /// <summary>Returns the most probable class of one row and its calibrated probability.</summary>
    /// <param name="features">A vector laid out by <see cref="ModelInfo.Schema"/>.</param>
    /// <returns>The top class (the lowest index among ties).</returns>
    /// <exception cref="ArgumentException">The vector's length is not the schema's feature count.</exception>
    public ClassPrediction Predict(ReadOnlySpan<float> features)
    {
        if (features.Length != Info.Schema.Count)
        {
            throw new ArgumentException($"The feature vector has {features.Length} values; the model's schema has {Info.Schema.Count} features.", nameof(features));
        }

        Span<float> p = ClassCount <= 128 ? stackalloc float[ClassCount] : new float[ClassCount];
        PredictProbabilities(features, p);
        var best = 0;
        for (var c = 1; c < p.Length; c++)
        {
            if (p[c] > p[best])
            {
                best = c;
            }
        }

        return new ClassPrediction(best, _classNames[best], p[best]);
    }

    /// <summary>
    /// Writes the exact TreeSHAP contributions of one row to each class's raw (softmax input) score: for class c,
    /// values [c * (F + 1), (c + 1) * (F + 1)) hold the F feature contributions then the class's bias, summing to the
    /// class's raw score (see <see cref="MulticlassTreeEnsembleModel.PredictContributions"/>).
    /// </summary>
    /// <param name="features">A vector laid out by <see cref="ModelInfo.Schema"/>.</param>
    /// <param name="destination">Receives <see cref="ClassCount"/> * (feature count + 1) values.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public void PredictContributions(ReadOnlySpan<float> features, Span<double> destination) => Predictor.PredictContributions(features, destination);

    /// <summary>Returns a copy with other model information (for example once a version id is assigned).</summary>
    /// <param name="info">The new information; its schema must be the model's.</param>
    /// <returns>The copy.</returns>
    public MulticlassQualityModel WithInfo(ModelInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new MulticlassQualityModel(Predictor, _classNames, Calibrator, info, Columns);
    }

    /// <summary>Rebuilds the extractor for CSV rows that this model was trained with.</summary>
    /// <returns>An extractor whose schema is the model's.</returns>
    /// <exception cref="InvalidOperationException">The model was not trained on CSV rows (it has no column mapping).</exception>
    public FeatureExtractor<IReadOnlyDictionary<string, string?>> CreateRowExtractor() => Columns is null
        ? throw new InvalidOperationException("This model has no CSV column mapping; it was trained on a dataset of feature vectors.")
        : RowFeatureExtractor.Restore(Columns, Info.Schema);

    /// <summary>Returns the CSV columns this model reads that <paramref name="availableColumns"/> lacks (none for models without a column mapping).</summary>
    /// <param name="availableColumns">The columns a data file has (its header).</param>
    /// <returns>The missing column names, in the model's order, each once.</returns>
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

    /// <summary>Serializes the model.</summary>
    /// <returns>The model file's bytes.</returns>
    public byte[] ToBytes() => MulticlassQualityModelFormat.Write(this);

    /// <summary>Reads a model written by <see cref="ToBytes"/>.</summary>
    /// <param name="data">The model file's bytes.</param>
    /// <returns>The model.</returns>
    /// <exception cref="Serialization.ModelFormatException">The bytes are not a multiclass PatternQuality model file (a binary model's file names <see cref="QualityModel.Load(byte[])"/>), are truncated or corrupt, or come from an unsupported version.</exception>
    public static MulticlassQualityModel Load(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return MulticlassQualityModelFormat.Read(data);
    }

    /// <summary>Reads a model version a store returned.</summary>
    /// <param name="stored">The stored version; its checksum was verified by the store.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ModelStoreCorruptedException">The bytes are intact as stored but are not a multiclass model this library reads; the message names the version and the problem.</exception>
    public static MulticlassQualityModel Load(StoredModel stored)
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

    /// <summary>Returns whether model file bytes hold a multiclass model (without validating the rest of the file).</summary>
    /// <param name="data">The model file's bytes.</param>
    /// <returns><see langword="true"/> for a multiclass model; <see langword="false"/> for a binary model.</returns>
    /// <exception cref="Serialization.ModelFormatException">The bytes are not a PatternQuality model file.</exception>
    public static bool IsMulticlass(ReadOnlySpan<byte> data) => MulticlassQualityModelFormat.IsMulticlass(data.ToArray());

    private NotSupportedException NotBinary() => new(
        $"This is a multiclass model ({string.Join(", ", _classNames)}); it has class probabilities, not an approval score. "
        + "Use PatternScorer.PredictClasses / ExplainClass, or MulticlassQualityModel.PredictProbabilities.");
}
