using PatternQuality.Data;

namespace PatternQuality.Serialization;

/// <summary>Writes and reads a <see cref="FeatureSchema"/> as the "schema" section of a model file.</summary>
internal static class FeatureSchemaSection
{
    /// <summary>The section tag.</summary>
    public const string Tag = "schema";

    private const int MaxFeatures = 1 << 20;

    /// <summary>Writes the schema: count, then name, kind and category labels of each feature, then the hash.</summary>
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

    /// <summary>Reads a schema and checks it against the stored hash.</summary>
    public static FeatureSchema Read(BinaryReader reader)
    {
        // Each feature takes at least 9 bytes (empty name, kind, category count), each category at least 1.
        var count = ModelFileReader.ReadCount(reader, 9, "features");
        if (count <= 0 || count > MaxFeatures)
        {
            throw new ModelFormatException($"The schema section declares {count} features.");
        }

        var features = new FeatureDefinition[count];
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            var kind = (FeatureKind)reader.ReadInt32();
            if (!Enum.IsDefined(kind))
            {
                throw new ModelFormatException($"The schema section gives feature '{name}' an unknown kind code {(int)kind}.");
            }

            var categoryCount = ModelFileReader.ReadCount(reader, 1, $"categories of feature '{name}'");

            var categories = new string[categoryCount];
            for (var c = 0; c < categoryCount; c++)
            {
                categories[c] = reader.ReadString();
            }

            features[i] = new FeatureDefinition(name, kind, kind == FeatureKind.Categorical ? categories : null);
        }

        var schema = new FeatureSchema(features);
        var hash = reader.ReadString();
        if (hash != schema.Hash)
        {
            throw new ModelFormatException($"The schema section's hash {hash} does not match its features (hash {schema.Hash}).");
        }

        return schema;
    }
}
