using Microsoft.Data.Sqlite;
using PatternQuality.Storage.Shared;

namespace PatternQuality.Storage.Sqlite.Internal;

/// <summary>Maps <see cref="ModelMetadata"/> to the columns of <c>pq_models</c> and back: the SQL and its parameters; the rules and JSON are <see cref="MetadataRow"/>'s.</summary>
internal static class MetadataColumns
{
    /// <summary>The metadata columns in the order <see cref="Read"/> expects them.</summary>
    public const string Select = "version, parent_version, created_at, schema_hash, watermark_sequence, training_rows, metrics, properties, aliases, pinned, promoted, decision";

    /// <summary>The assignments of an UPDATE that replaces the metadata of the row whose version is <c>$version</c>.</summary>
    public const string Assign = "parent_version = $parent_version, created_at = $created_at, schema_hash = $schema_hash, watermark_sequence = $watermark_sequence, training_rows = $training_rows, metrics = $metrics, properties = $properties, aliases = $aliases, pinned = $pinned, promoted = $promoted, decision = $decision";

    /// <summary>The column list and matching parameters of an INSERT.</summary>
    public const string InsertColumns = "version, parent_version, created_at, schema_hash, watermark_sequence, training_rows, metrics, properties, aliases, pinned, promoted, decision";

    public const string InsertValues = "$version, $parent_version, $created_at, $schema_hash, $watermark_sequence, $training_rows, $metrics, $properties, $aliases, $pinned, $promoted, $decision";

    /// <summary>Adds the metadata parameters (<c>$version</c> and the others) to a command.</summary>
    public static void Bind(SqliteCommand command, ModelMetadata metadata)
    {
        var p = command.Parameters;
        p.AddWithValue("$version", metadata.Version);
        p.AddWithValue("$parent_version", (object?)metadata.ParentVersion ?? DBNull.Value);
        p.AddWithValue("$created_at", MetadataRow.CreatedAt(metadata));
        p.AddWithValue("$schema_hash", (object?)metadata.SchemaHash ?? DBNull.Value);
        p.AddWithValue("$watermark_sequence", metadata.WatermarkSequence);
        p.AddWithValue("$training_rows", metadata.TrainingRows);
        p.AddWithValue("$metrics", MetadataRow.MetricsJson(metadata));
        p.AddWithValue("$properties", MetadataRow.PropertiesJson(metadata));
        p.AddWithValue("$aliases", MetadataRow.AliasesJson(metadata));
        p.AddWithValue("$pinned", metadata.Pinned ? 1 : 0);
        p.AddWithValue("$promoted", metadata.Promoted is { } promoted ? (promoted ? 1 : 0) : DBNull.Value);
        p.AddWithValue("$decision", (object?)metadata.Decision ?? DBNull.Value);
    }

    /// <summary>Reads the metadata from the first columns of the current row (see <see cref="Select"/>).</summary>
    /// <exception cref="ModelStoreCorruptedException">A column holds something this library never writes.</exception>
    public static ModelMetadata Read(SqliteDataReader reader, string path) => MetadataRow.Read(reader, path, "pq_models");
}
