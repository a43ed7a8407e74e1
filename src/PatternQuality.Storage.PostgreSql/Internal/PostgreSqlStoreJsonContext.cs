using System.Text.Json.Serialization;

namespace PatternQuality.Storage.PostgreSql.Internal;

/// <summary>
/// Source-generated JSON for the JSONB metadata columns (metrics, properties, aliases): no reflection, and NaN/Infinity
/// metrics survive as the JSON strings "NaN"/"Infinity" (JSONB has no NaN number).
/// </summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(Dictionary<string, double>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class PostgreSqlStoreJsonContext : JsonSerializerContext;
