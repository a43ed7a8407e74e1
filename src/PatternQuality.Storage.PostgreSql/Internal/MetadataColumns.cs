using Npgsql;
using NpgsqlTypes;
using PatternQuality.Storage.Shared;

namespace PatternQuality.Storage.PostgreSql.Internal;

/// <summary>Maps <see cref="ModelMetadata"/> to the columns of <c>ml_models</c> and back: the SQL, its typed parameters and seed 003's summary columns; the rules and JSON are <see cref="MetadataRow"/>'s.</summary>
internal static class MetadataColumns
{
    /// <summary>The metadata columns in the order <see cref="Read"/> expects them.</summary>
    public const string Select = "version, parent_version, created_at, schema_hash, watermark_sequence, training_rows, metrics::text, properties::text, aliases::text, pinned, promoted, decision";

    /// <summary>How many columns <see cref="Select"/> names.</summary>
    public const int Count = MetadataRow.ColumnCount;

    /// <summary>The assignments of an UPDATE that replaces the metadata (and seed 003's summary columns) of one row.</summary>
    public const string Assign = "parent_version = @parent_version, created_at = @created_at, schema_hash = @schema_hash, watermark_sequence = @watermark_sequence, training_rows = @training_rows, metrics = @metrics, properties = @properties, aliases = @aliases, pinned = @pinned, promoted = @promoted, decision = @decision, accuracy_score = @accuracy_score, training_samples = @training_samples, trained_at = @trained_at";

    /// <summary>The column list of an INSERT, matching <see cref="InsertValues"/>.</summary>
    public const string InsertColumns = "version, parent_version, created_at, schema_hash, watermark_sequence, training_rows, metrics, properties, aliases, pinned, promoted, decision, accuracy_score, training_samples, trained_at";

    public const string InsertValues = "@version, @parent_version, @created_at, @schema_hash, @watermark_sequence, @training_rows, @metrics, @properties, @aliases, @pinned, @promoted, @decision, @accuracy_score, @training_samples, @trained_at";

    /// <summary>Throws for metadata the columns cannot hold faithfully (the same rules as the file store's manifest).</summary>
    public static void CheckStorable(ModelMetadata metadata)
    {
        MetadataRow.CheckStorable(metadata);

        // PostgreSQL text cannot hold U+0000; refused here rather than as a server error half-way through a change.
        if (Texts(metadata).Any(t => t is not null && t.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"Model version '{metadata.Version}' has a NUL character in a text field, which PostgreSQL cannot store.", nameof(metadata));
        }
    }

    /// <summary>Adds the metadata parameters (<c>@version</c> and the others) to a command.</summary>
    public static void Bind(NpgsqlCommand command, ModelMetadata metadata)
    {
        var p = command.Parameters;
        p.AddWithValue("version", metadata.Version);
        p.AddWithValue("parent_version", NpgsqlDbType.Varchar, (object?)metadata.ParentVersion ?? DBNull.Value);
        p.AddWithValue("created_at", MetadataRow.CreatedAt(metadata));
        p.AddWithValue("schema_hash", NpgsqlDbType.Text, (object?)metadata.SchemaHash ?? DBNull.Value);
        p.AddWithValue("watermark_sequence", metadata.WatermarkSequence);
        p.AddWithValue("training_rows", metadata.TrainingRows);
        p.AddWithValue("metrics", NpgsqlDbType.Jsonb, MetadataRow.MetricsJson(metadata));
        p.AddWithValue("properties", NpgsqlDbType.Jsonb, MetadataRow.PropertiesJson(metadata));
        p.AddWithValue("aliases", NpgsqlDbType.Jsonb, MetadataRow.AliasesJson(metadata));
        p.AddWithValue("pinned", metadata.Pinned);
        p.AddWithValue("promoted", NpgsqlDbType.Boolean, metadata.Promoted is { } promoted ? promoted : DBNull.Value);
        p.AddWithValue("decision", NpgsqlDbType.Text, (object?)metadata.Decision ?? DBNull.Value);

        // Seed 003's own summary columns, filled for operators and the seed's queries; never read back.
        p.AddWithValue("accuracy_score", NpgsqlDbType.Numeric, AccuracyScore(metadata) is { } accuracy ? accuracy : DBNull.Value);
        p.AddWithValue("training_samples", (int)Math.Clamp(metadata.TrainingRows, 0, int.MaxValue));
        // TIMESTAMP (without time zone) in the seed: UTC wall-clock time.
        p.AddWithValue("trained_at", NpgsqlDbType.Timestamp, DateTime.SpecifyKind(metadata.CreatedAt.UtcDateTime, DateTimeKind.Unspecified));
    }

    /// <summary>Reads the metadata from the first <see cref="Count"/> columns of the current row (see <see cref="Select"/>).</summary>
    /// <exception cref="ModelStoreCorruptedException">A column holds something this library never writes.</exception>
    public static ModelMetadata Read(NpgsqlDataReader reader, string location) => MetadataRow.Read(reader, location, "ml_models");

    // accuracy_score is DECIMAL(5,4): the model's accuracy if it has one, else its AUC, when it lies in [0, 1].
    private static decimal? AccuracyScore(ModelMetadata metadata)
    {
        foreach (var name in new[] { "accuracy", "auc" })
        {
            if (metadata.Metrics.TryGetValue(name, out var value) && value is >= 0 and <= 1)
            {
                return Math.Round((decimal)value, 4);
            }
        }

        return null;
    }

    private static IEnumerable<string?> Texts(ModelMetadata m) =>
        new[] { m.ParentVersion, m.SchemaHash, m.Decision }.Concat(m.Aliases).Concat(m.Properties.Keys).Concat(m.Properties.Values).Concat(m.Metrics.Keys);
}
