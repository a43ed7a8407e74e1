using System.Text.Json;
using System.Text.Json.Serialization;

namespace PatternQuality.Internal;

/// <summary>
/// Writes NaN and infinities as JSON <c>null</c> (JSON has no number for them, and System.Text.Json throws by default),
/// and reads <c>null</c> back as NaN. Put on every floating-point property of a public metrics type, where NaN means
/// "undefined" (an AUC with one class, a loss before the first record), so <c>JsonSerializer.Serialize</c> never throws.
/// </summary>
/// <remarks>
/// Handles <see cref="double"/>, <see cref="float"/>, their nullable forms and <c>IReadOnlyDictionary&lt;string, double&gt;</c>.
/// Reading also accepts the strings <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c>.
/// </remarks>
internal sealed class NonFiniteAsNullJsonConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert == typeof(double) || typeToConvert == typeof(double?) || typeToConvert == typeof(float) || typeToConvert == typeof(float?)
        || typeToConvert == typeof(IReadOnlyDictionary<string, double>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        typeToConvert == typeof(double) ? new DoubleConverter()
        : typeToConvert == typeof(double?) ? new NullableDoubleConverter()
        : typeToConvert == typeof(float) ? new SingleConverter()
        : typeToConvert == typeof(float?) ? new NullableSingleConverter()
        : typeToConvert == typeof(IReadOnlyDictionary<string, double>) ? new DictionaryConverter()
        : throw new NotSupportedException($"{nameof(NonFiniteAsNullJsonConverter)} does not convert {typeToConvert}.");

    internal static double Read(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Null => double.NaN,
        JsonTokenType.Number => reader.GetDouble(),
        JsonTokenType.String => reader.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var other => throw new JsonException($"'{other}' is not a number."),
        },
        _ => throw new JsonException($"Expected a number or null, found {reader.TokenType}."),
    };

    internal static void Write(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private sealed class DoubleConverter : JsonConverter<double>
    {
        public override bool HandleNull => true;

        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => NonFiniteAsNullJsonConverter.Read(ref reader);

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => NonFiniteAsNullJsonConverter.Write(writer, value);
    }

    private sealed class NullableDoubleConverter : JsonConverter<double?>
    {
        public override bool HandleNull => true;

        public override double? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? null : NonFiniteAsNullJsonConverter.Read(ref reader);

        public override void Write(Utf8JsonWriter writer, double? value, JsonSerializerOptions options) => NonFiniteAsNullJsonConverter.Write(writer, value ?? double.NaN);
    }

    private sealed class SingleConverter : JsonConverter<float>
    {
        public override bool HandleNull => true;

        public override float Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => (float)NonFiniteAsNullJsonConverter.Read(ref reader);

        // Through double: the shortest text that reads back as the same float.
        public override void Write(Utf8JsonWriter writer, float value, JsonSerializerOptions options)
        {
            if (float.IsFinite(value))
            {
                writer.WriteNumberValue(value);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }

    private sealed class NullableSingleConverter : JsonConverter<float?>
    {
        public override bool HandleNull => true;

        public override float? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? null : (float)NonFiniteAsNullJsonConverter.Read(ref reader);

        public override void Write(Utf8JsonWriter writer, float? value, JsonSerializerOptions options)
        {
            if (value is { } v && float.IsFinite(v))
            {
                writer.WriteNumberValue(v);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }

    private sealed class DictionaryConverter : JsonConverter<IReadOnlyDictionary<string, double>>
    {
        public override IReadOnlyDictionary<string, double> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException($"Expected an object of numbers, found {reader.TokenType}.");
            }

            var result = new Dictionary<string, double>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString()!;
                reader.Read();
                result[name] = NonFiniteAsNullJsonConverter.Read(ref reader);
            }

            return result;
        }

        public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, double> value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            foreach (var (name, number) in value)
            {
                writer.WritePropertyName(options.DictionaryKeyPolicy?.ConvertName(name) ?? name);
                NonFiniteAsNullJsonConverter.Write(writer, number);
            }

            writer.WriteEndObject();
        }
    }
}
