using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace PatternQuality.Storage.Sqlite.Internal;

/// <summary>Maps <see cref="ModelMetadata"/> to the columns of <c>pq_models</c> and back.</summary>
internal static class MetadataColumns
{
    /// <summary>The metadata columns in the order <see cref="Read"/> expects them.</summary>
    public const string Select = "version, parent_version, created_at, schema_hash, watermark_sequence, training_rows, metrics, properties, aliases, pinned, promoted, decision";

    /// <summary>The assignments of an UPDATE that replaces the metadata of the row whose version is <c>$version</c>.</summary>
    public const string Assign = "parent_version = $parent_version, created_at = $created_at, schema_hash = $schema_hash, watermark_sequence = $watermark_sequence, training_rows = $training_rows, metrics = $metrics, properties = $properties, aliases = $aliases, pinned = $pinned, promoted = $promoted, decision = $decision";

    /// <summary>The column list and matching parameters of an INSERT.</summary>
    public const string InsertColumns = "version, parent_version, created_at, schema_hash, watermark_sequence, training_rows, metrics, properties, aliases, pinned, promoted, decision";

    public const string InsertValues = "$version, $parent_version, $created_at, $schema_hash, $watermark_sequence, $training_rows, $metrics, $properties, $aliases, $pinned, $promoted, $decision";

    /// <summary>Throws for metadata the columns cannot hold faithfully (the same rules as the file store's manifest).</summary>
    public static void CheckStorable(ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (metadata.Properties is null || metadata.Metrics is null || metadata.Aliases is null)
        {
            throw new ArgumentException($"Model version '{metadata.Version}' has null Properties, Metrics or Aliases.", nameof(metadata));
        }

        if (metadata.Properties.FirstOrDefault(p => p.Value is null) is { Key: { } key })
        {
            throw new ArgumentException($"Model version '{metadata.Version}' has property '{key}' with a null value.", nameof(metadata));
        }

        if (metadata.Aliases.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"Model version '{metadata.Version}' has an empty alias.", nameof(metadata));
        }
    }

    /// <summary>Adds the metadata parameters (<c>$version</c> and the others) to a command.</summary>
    public static void Bind(SqliteCommand command, ModelMetadata metadata)
    {
        var p = command.Parameters;
        p.AddWithValue("$version", metadata.Version);
        p.AddWithValue("$parent_version", (object?)metadata.ParentVersion ?? DBNull.Value);
        p.AddWithValue("$created_at", metadata.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
        p.AddWithValue("$schema_hash", (object?)metadata.SchemaHash ?? DBNull.Value);
        p.AddWithValue("$watermark_sequence", metadata.WatermarkSequence);
        p.AddWithValue("$training_rows", metadata.TrainingRows);
        p.AddWithValue("$metrics", JsonSerializer.Serialize(new Dictionary<string, double>(metadata.Metrics), SqliteStoreJsonContext.Default.DictionaryStringDouble));
        p.AddWithValue("$properties", JsonSerializer.Serialize(new Dictionary<string, string>(metadata.Properties), SqliteStoreJsonContext.Default.DictionaryStringString));
        p.AddWithValue("$aliases", JsonSerializer.Serialize(metadata.Aliases.ToArray(), SqliteStoreJsonContext.Default.StringArray));
        p.AddWithValue("$pinned", metadata.Pinned ? 1 : 0);
        p.AddWithValue("$promoted", metadata.Promoted is { } promoted ? (promoted ? 1 : 0) : DBNull.Value);
        p.AddWithValue("$decision", (object?)metadata.Decision ?? DBNull.Value);
    }

    /// <summary>Reads the metadata from the first columns of the current row (see <see cref="Select"/>).</summary>
    /// <exception cref="ModelStoreCorruptedException">A column holds something this library never writes.</exception>
    public static ModelMetadata Read(SqliteDataReader reader, string path)
    {
        var version = reader.GetString(0);
        try
        {
            return new ModelMetadata(version)
            {
                ParentVersion = reader.IsDBNull(1) ? null : reader.GetString(1),
                CreatedAt = DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                SchemaHash = reader.IsDBNull(3) ? null : reader.GetString(3),
                WatermarkSequence = reader.GetInt64(4),
                TrainingRows = reader.GetInt64(5),
                Metrics = JsonSerializer.Deserialize(reader.GetString(6), SqliteStoreJsonContext.Default.DictionaryStringDouble) ?? throw new FormatException("metrics is JSON null"),
                Properties = JsonSerializer.Deserialize(reader.GetString(7), SqliteStoreJsonContext.Default.DictionaryStringString) is { } props && !props.Values.Any(v => v is null)
                    ? props
                    : throw new FormatException("properties is JSON null or holds a null value"),
                Aliases = JsonSerializer.Deserialize(reader.GetString(8), SqliteStoreJsonContext.Default.StringArray) is { } aliases && !aliases.Any(string.IsNullOrWhiteSpace)
                    ? aliases
                    : throw new FormatException("aliases is JSON null or holds an empty alias"),
                Pinned = reader.GetInt64(9) != 0,
                Promoted = reader.IsDBNull(10) ? null : reader.GetInt64(10) != 0,
                Decision = reader.IsDBNull(11) ? null : reader.GetString(11),
            };
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidCastException or ArgumentException or OverflowException)
        {
            throw new ModelStoreCorruptedException(path, $"the metadata of model version '{version}' in table pq_models is not valid: {ex.Message}", ex);
        }
    }
}
