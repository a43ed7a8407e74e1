using System.Text.Json.Serialization;

namespace PatternQuality.Storage.Sqlite.Internal;

/// <summary>
/// Source-generated JSON for the metadata columns that hold collections (metrics, properties, aliases): no reflection,
/// and NaN/Infinity metrics survive the round trip as they do in the file store's manifest.
/// </summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(Dictionary<string, double>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class SqliteStoreJsonContext : JsonSerializerContext;
