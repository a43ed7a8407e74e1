using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PatternQuality.Storage.Shared;

/// <summary>
/// What every database model store does with <see cref="ModelMetadata"/> whatever its SQL dialect: the storability
/// rules, the JSON of the collection columns (metrics, properties, aliases) and reading a row back.
/// </summary>
/// <remarks>
/// Compiled into each database store package and into the core (whose file store uses <see cref="CheckStorable"/>),
/// as a linked file (see src/Shared/README.md), so one rule change reaches every store without becoming public API. The columns are read by position in this order:
/// version, parent_version, created_at (ISO 8601 text), schema_hash, watermark_sequence, training_rows, metrics,
/// properties, aliases (JSON text), pinned, promoted (booleans, or integers 0/1), decision.
/// </remarks>
internal static class MetadataRow
{
    /// <summary>How many columns <see cref="Read"/> reads.</summary>
    public const int ColumnCount = 12;

    /// <summary>Throws for metadata the columns cannot hold faithfully (the same rules as the file store's manifest).</summary>
    /// <exception cref="ArgumentException">Null collections, a null property value or an empty alias.</exception>
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

    /// <summary>The created_at column's text: round-trip ISO 8601, so the offset survives.</summary>
    public static string CreatedAt(ModelMetadata metadata) => metadata.CreatedAt.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>The metrics column's JSON; NaN and infinities as the strings "NaN"/"Infinity".</summary>
    public static string MetricsJson(ModelMetadata metadata) =>
        JsonSerializer.Serialize(new Dictionary<string, double>(metadata.Metrics), MetadataJsonContext.Default.DictionaryStringDouble);

    /// <summary>The properties column's JSON.</summary>
    public static string PropertiesJson(ModelMetadata metadata) =>
        JsonSerializer.Serialize(new Dictionary<string, string>(metadata.Properties), MetadataJsonContext.Default.DictionaryStringString);

    /// <summary>The aliases column's JSON.</summary>
    public static string AliasesJson(ModelMetadata metadata) =>
        JsonSerializer.Serialize(metadata.Aliases.ToArray(), MetadataJsonContext.Default.StringArray);

    /// <summary>Reads the metadata from the first <see cref="ColumnCount"/> columns of the current row.</summary>
    /// <param name="reader">The reader, positioned on a row.</param>
    /// <param name="location">The store's location, for the exception.</param>
    /// <param name="table">The table's name, for the exception.</param>
    /// <exception cref="ModelStoreCorruptedException">A column holds something this library never writes (a NULL, bad JSON, a bad date).</exception>
    public static ModelMetadata Read(DbDataReader reader, string location, string table)
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
                Metrics = JsonSerializer.Deserialize(reader.GetString(6), MetadataJsonContext.Default.DictionaryStringDouble) ?? throw new FormatException("metrics is JSON null"),
                Properties = JsonSerializer.Deserialize(reader.GetString(7), MetadataJsonContext.Default.DictionaryStringString) is { } props && !props.Values.Any(v => v is null)
                    ? props
                    : throw new FormatException("properties is JSON null or holds a null value"),
                Aliases = JsonSerializer.Deserialize(reader.GetString(8), MetadataJsonContext.Default.StringArray) is { } aliases && !aliases.Any(string.IsNullOrWhiteSpace)
                    ? aliases
                    : throw new FormatException("aliases is JSON null or holds an empty alias"),
                Pinned = reader.GetBoolean(9),
                Promoted = reader.IsDBNull(10) ? null : reader.GetBoolean(10),
                Decision = reader.IsDBNull(11) ? null : reader.GetString(11),
            };
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidCastException or ArgumentException or OverflowException)
        {
            // A NULL where this library always writes a value (a row another program inserted) lands here too.
            throw new ModelStoreCorruptedException(location, $"the metadata of model version '{version}' in table {table} is not valid: {ex.Message}", ex);
        }
    }
}

/// <summary>
/// Source-generated JSON for the metadata columns that hold collections: no reflection, and NaN/Infinity metrics survive
/// the round trip as the strings "NaN"/"Infinity", as they do in the file store's manifest (JSONB has no NaN number).
/// </summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(Dictionary<string, double>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class MetadataJsonContext : JsonSerializerContext;
