using System.Text.Json;
using System.Text.Json.Nodes;
using PatternQuality.Scoring;

namespace PatternQuality.AspNetCore.Internal;

/// <summary>The default pattern readers of <see cref="PatternQualityEndpointOptions{TPattern}"/>.</summary>
internal static class PatternReaders
{
    /// <summary>Returns the configured reader, the row reader for rows of named columns, or a JSON deserializer.</summary>
    public static Func<JsonNode?, TPattern> Create<TPattern>(PatternQualityEndpointOptions<TPattern> options, QualityModelHolder holder, JsonSerializerOptions json)
    {
        if (options.ReadPattern is { } read)
        {
            return read;
        }

        if (typeof(TPattern) == typeof(IReadOnlyDictionary<string, string?>))
        {
            var fixedColumns = options.RequiredColumns?.ToArray();

            // The served model's columns are read per request: a promotion or rollback may change them.
            return node => (TPattern)ReadRow(node, fixedColumns ?? (holder.Current as QualityModel)?.Columns?.Select(c => c.Name));
        }

        return node => Deserialize<TPattern>(node, json);
    }

    private static TPattern Deserialize<TPattern>(JsonNode? node, JsonSerializerOptions json)
    {
        try
        {
            return node.Deserialize<TPattern>(json) ?? throw new FormatException("is null");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"is not a {typeof(TPattern).Name}: {ex.Message}", ex);
        }
    }

    // Rows as a model trained on CSV rows reads them: every value as its text (numbers exactly as written), every input
    // column present, so a misspelt column is a 400 that names it rather than a silently missing feature.
    private static IReadOnlyDictionary<string, string?> ReadRow(JsonNode? node, IEnumerable<string>? required)
    {
        if (node is not JsonObject o)
        {
            throw new FormatException("is not an object");
        }

        var row = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in o)
        {
            row[name] = value switch
            {
                null => null,
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>() ? "true" : "false",
                _ => value.ToJsonString(),
            };
        }

        var missing = required?.Distinct(StringComparer.Ordinal).Where(n => !row.ContainsKey(n)).ToArray() ?? [];
        if (missing.Length > 0)
        {
            throw new FormatException($"lacks the model's input column{(missing.Length == 1 ? string.Empty : "s")} {string.Join(", ", missing.Select(m => "'" + m + "'"))}");
        }

        return row;
    }
}
