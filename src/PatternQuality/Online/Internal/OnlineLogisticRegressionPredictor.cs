using PatternQuality.Data;
using PatternQuality.Learning;

namespace PatternQuality.Online.Internal;

/// <summary>
/// An immutable snapshot of an <see cref="OnlineLogisticRegression"/>: its own copies of the weights and the numeric
/// scaling, so scoring threads never see an update in progress.
/// </summary>
internal sealed class OnlineLogisticRegressionPredictor : IPredictor
{
    private const int StackLimit = 256;

    // "PQOP" in little-endian ASCII.
    private const uint Magic = 0x504F5150;

    // Format history:
    //   1: clip, examples seen, schema (names, kinds, categories, hash), weights, numeric means, numeric 1/std.
    private const int FormatVersionWritten = 1;
    private const int FormatVersionReadableBy = 1;
    private const int FormatVersionMinimumReadable = 1;

    private readonly LinearFeatureLayout _layout;
    private readonly double[] _weights;
    private readonly double[] _means;
    private readonly double[] _inverseStds;
    private readonly double _clip;

    public OnlineLogisticRegressionPredictor(LogisticState state, double clip)
    {
        _layout = state.Layout;
        _weights = (double[])state.Weights.Clone();
        _means = (double[])state.Means.Clone();
        _inverseStds = (double[])state.InverseStds.Clone();
        _clip = clip;
        ExamplesSeen = state.ExamplesSeen;
    }

    public FeatureSchema Schema => _layout.Schema;

    /// <summary>Gets how many examples the learner had seen when this snapshot was taken.</summary>
    public long ExamplesSeen { get; }

    /// <summary>Gets a copy of the weights (slot 0 is the bias); for inspection and tests.</summary>
    public double[] GetWeights() => (double[])_weights.Clone();

    public float PredictProbability(ReadOnlySpan<float> features) => (float)Sigmoid(Margin(features, -1));

    public void PredictProbability(ReadOnlySpan<float> features, Span<float> destination)
    {
        var n = _layout.Schema.Count;
        if (features.Length % n != 0)
        {
            throw new ArgumentException($"{features.Length} feature values are not a whole number of rows of {n} features.", nameof(features));
        }

        var rows = features.Length / n;
        if (destination.Length < rows)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values; {rows} rows need scoring.", nameof(destination));
        }

        for (var r = 0; r < rows; r++)
        {
            destination[r] = (float)Sigmoid(Margin(features.Slice(r * n, n), r));
        }
    }

    /// <summary>Writes the snapshot alone (no learning state): enough to score, not to keep learning.</summary>
    internal void WriteTo(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Magic);
        writer.Write(FormatVersionWritten);
        writer.Write(FormatVersionReadableBy);
        writer.Write(_clip);
        writer.Write(ExamplesSeen);
        Serialization.FeatureSchemaSection.Write(writer, Schema);
        SchemaBinary.WriteArray(writer, _weights);
        SchemaBinary.WriteArray(writer, _means);
        SchemaBinary.WriteArray(writer, _inverseStds);
    }

    /// <summary>Reads a snapshot written by <see cref="WriteTo"/>.</summary>
    /// <exception cref="PatternQualityException">The data is not such a snapshot, comes from a newer format, or is corrupt.</exception>
    internal static OnlineLogisticRegressionPredictor ReadFrom(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        try
        {
            if (reader.ReadUInt32() != Magic)
            {
                throw new PatternQualityException("The data is not an online logistic regression snapshot (bad signature).");
            }

            var written = reader.ReadInt32();
            var readableBy = reader.ReadInt32();
            if (readableBy > FormatVersionWritten || written < FormatVersionMinimumReadable)
            {
                throw new PatternQualityException(
                    $"Online logistic regression snapshot format {written} (readable by {readableBy}+) cannot be read by this version (reads {FormatVersionMinimumReadable} to {FormatVersionWritten}).");
            }

            var clip = reader.ReadDouble();
            if (!(clip >= 1 && clip <= 100))
            {
                throw new PatternQualityException($"Corrupt snapshot: clip {clip}.");
            }

            var examples = reader.ReadInt64();
            var state = new LogisticState(new LinearFeatureLayout(Serialization.FeatureSchemaSection.Read(reader))) { ExamplesSeen = examples };
            SchemaBinary.ReadArray(reader, state.Weights, "weights");
            SchemaBinary.ReadArray(reader, state.Means, "means");
            SchemaBinary.ReadArray(reader, state.InverseStds, "scales");
            return new OnlineLogisticRegressionPredictor(state, clip);
        }
        catch (Exception ex) when (ex is EndOfStreamException or ArgumentException or IOException)
        {
            throw new PatternQualityException("Corrupt or truncated online logistic regression snapshot.", ex);
        }
    }

    internal static double Sigmoid(double z)
    {
        z = Math.Clamp(z, -35, 35);
        return 1 / (1 + Math.Exp(-z));
    }

    private double Margin(ReadOnlySpan<float> row, long rowNumber)
    {
        var max = _layout.MaxActive;
        Span<int> idx = max <= StackLimit ? stackalloc int[max] : new int[max];
        Span<double> val = max <= StackLimit ? stackalloc double[max] : new double[max];
        var k = _layout.Encode(row, _means, _inverseStds, _clip, idx, val, rowNumber);
        var z = 0.0;
        for (var i = 0; i < k; i++)
        {
            z += _weights[idx[i]] * val[i];
        }

        return z;
    }
}
