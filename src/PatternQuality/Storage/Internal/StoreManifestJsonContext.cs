using System.Text.Json.Serialization;

namespace PatternQuality.Storage.Internal;

/// <summary>Source-generated JSON for the manifest: no reflection, and the format settings in one place.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(StoreManifest))]
internal sealed partial class StoreManifestJsonContext : JsonSerializerContext;
