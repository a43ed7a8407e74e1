namespace PatternQuality.Online.Internal;

/// <summary>Writes and reads the arrays of the online model formats (their schema goes through <see cref="Serialization.FeatureSchemaSection"/>).</summary>
internal static class SchemaBinary
{
    public static void WriteArray(BinaryWriter writer, double[] values)
    {
        writer.Write(values.Length);
        foreach (var v in values)
        {
            writer.Write(v);
        }
    }

    /// <exception cref="PatternQualityException">The stored length differs from <paramref name="destination"/>'s.</exception>
    public static void ReadArray(BinaryReader reader, double[] destination, string what)
    {
        var length = reader.ReadInt32();
        if (length != destination.Length)
        {
            throw new PatternQualityException($"Corrupt model: {length} {what} stored, the schema needs {destination.Length}.");
        }

        for (var i = 0; i < length; i++)
        {
            destination[i] = reader.ReadDouble();
        }
    }
}
