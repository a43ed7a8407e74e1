using PatternQuality.Features;

namespace PatternQuality.Online.Internal;

/// <summary>Writes and reads a <see cref="FeatureSchema"/> inside the online model formats, checked by its hash.</summary>
internal static class SchemaBinary
{
    public static void Write(BinaryWriter writer, FeatureSchema schema)
    {
        writer.Write(schema.Count);
        foreach (var f in schema.Features)
        {
            writer.Write(f.Name);
            writer.Write((int)f.Kind);
            writer.Write(f.Categories.Count);
            foreach (var c in f.Categories)
            {
                writer.Write(c);
            }
        }

        writer.Write(schema.Hash);
    }

    /// <exception cref="PatternQualityException">The stored schema is corrupt.</exception>
    public static FeatureSchema Read(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count is < 1 or > 1_000_000)
        {
            throw new PatternQualityException($"Corrupt model: {count} features.");
        }

        var features = new FeatureDefinition[count];
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            var kind = (FeatureKind)reader.ReadInt32();
            var categoryCount = reader.ReadInt32();
            if (categoryCount is < 0 or > 10_000_000)
            {
                throw new PatternQualityException($"Corrupt model: feature '{name}' has {categoryCount} categories.");
            }

            var categories = new string[categoryCount];
            for (var c = 0; c < categoryCount; c++)
            {
                categories[c] = reader.ReadString();
            }

            features[i] = new FeatureDefinition(name, kind, categories);
        }

        var schema = new FeatureSchema(features);
        if (reader.ReadString() != schema.Hash)
        {
            throw new PatternQualityException("Corrupt model: the stored schema hash does not match the stored schema.");
        }

        return schema;
    }

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
