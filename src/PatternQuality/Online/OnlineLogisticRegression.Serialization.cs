using PatternQuality.Online.Internal;

namespace PatternQuality.Online;

/// <content>The binary format: the full learning state, so a restored learner continues exactly where it stopped.</content>
public sealed partial class OnlineLogisticRegression
{
    // "PQOL" in little-endian ASCII.
    private const uint Magic = 0x4C4F5150;

    // Format history:
    //   1: options (learning rate, L2, epochs, seed, clip, gradient-sum decay), schema (names, kinds, categories, hash), weights, AdaGrad sums, numeric moments, examples seen.
    private const int FormatVersionWritten = 1;

    // The oldest reader that can read what this version writes.
    private const int FormatVersionReadableBy = 1;

    // The oldest format this version can read back.
    private const int FormatVersionMinimumReadable = 1;

    /// <summary>Writes the learner's options and state.</summary>
    /// <param name="writer">The destination.</param>
    /// <exception cref="InvalidOperationException">The learner has not seen any data yet.</exception>
    internal void WriteTo(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        LogisticState state;
        lock (_gate)
        {
            state = _state?.Clone() ?? throw new InvalidOperationException("The learner has not seen any data; there is nothing to save.");
        }

        writer.Write(Magic);
        writer.Write(FormatVersionWritten);
        writer.Write(FormatVersionReadableBy);
        writer.Write(_options.LearningRate);
        writer.Write(_options.L2Regularization);
        writer.Write(_options.NumberOfEpochs);
        writer.Write(_options.Seed);
        writer.Write(_options.StandardizedClip);
        writer.Write(_options.GradientSumDecay);

        Serialization.FeatureSchemaSection.Write(writer, state.Layout.Schema);
        writer.Write(state.ExamplesSeen);
        SchemaBinary.WriteArray(writer, state.Weights);
        SchemaBinary.WriteArray(writer, state.GradSquares);
        SchemaBinary.WriteArray(writer, state.Counts);
        SchemaBinary.WriteArray(writer, state.Means);
        SchemaBinary.WriteArray(writer, state.M2);
        SchemaBinary.WriteArray(writer, state.InverseStds);
    }

    /// <summary>Reads a learner written by <see cref="WriteTo"/>.</summary>
    /// <param name="reader">The source.</param>
    /// <returns>The restored learner, with <see cref="Current"/> set.</returns>
    /// <exception cref="PatternQualityException">The data is not an online logistic regression, comes from a newer format, or is corrupt.</exception>
    internal static OnlineLogisticRegression ReadFrom(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        try
        {
            if (reader.ReadUInt32() != Magic)
            {
                throw new PatternQualityException("The data is not an online logistic regression model (bad signature).");
            }

            var written = reader.ReadInt32();
            var readableBy = reader.ReadInt32();
            if (readableBy > FormatVersionWritten || written < FormatVersionMinimumReadable)
            {
                throw new PatternQualityException(
                    $"Online logistic regression format {written} (readable by {readableBy}+) cannot be read by this version (reads {FormatVersionMinimumReadable} to {FormatVersionWritten}).");
            }

            var options = new OnlineLogisticRegressionOptions
            {
                LearningRate = reader.ReadDouble(),
                L2Regularization = reader.ReadDouble(),
                NumberOfEpochs = reader.ReadInt32(),
                Seed = reader.ReadInt32(),
                StandardizedClip = reader.ReadDouble(),
                GradientSumDecay = reader.ReadDouble(),
            };
            var learner = new OnlineLogisticRegression(options);

            var schema = Serialization.FeatureSchemaSection.Read(reader);
            var state = new LogisticState(new LinearFeatureLayout(schema)) { ExamplesSeen = reader.ReadInt64() };
            SchemaBinary.ReadArray(reader, state.Weights, "weights");
            SchemaBinary.ReadArray(reader, state.GradSquares, "gradient sums");
            SchemaBinary.ReadArray(reader, state.Counts, "counts");
            SchemaBinary.ReadArray(reader, state.Means, "means");
            SchemaBinary.ReadArray(reader, state.M2, "variances");
            SchemaBinary.ReadArray(reader, state.InverseStds, "scales");
            learner.Commit(state);
            return learner;
        }
        catch (Exception ex) when (ex is EndOfStreamException or ArgumentException or IOException)
        {
            throw new PatternQualityException("Corrupt or truncated online logistic regression model.", ex);
        }
    }
}
