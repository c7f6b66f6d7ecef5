using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lagesbild.Domain.Picture;

/// <summary>
/// Enums as their names, read only in exactly the documented spelling. System.Text.Json's own
/// string enum converter also takes "open" for "Open" and numbers, so a proxy that checks the
/// documented names and the server could read one body two ways.
/// </summary>
public sealed class ExactEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Names<>).MakeGenericType(typeToConvert))!;

    private sealed class Names<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
    {
        private static readonly Dictionary<string, TEnum> ByName = Enum.GetValues<TEnum>().ToDictionary(v => v.ToString(), StringComparer.Ordinal);
        private static readonly Dictionary<TEnum, JsonEncodedText> Encoded = ByName.ToDictionary(p => p.Value, p => JsonEncodedText.Encode(p.Key));

        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String ? Parse(reader.GetString()) : throw Refused(null);

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Name(value));

        public override TEnum ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Parse(reader.GetString());

        public override void WriteAsPropertyName(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WritePropertyName(Name(value));

        private static TEnum Parse(string? name) =>
            name is not null && ByName.TryGetValue(name, out var value) ? value : throw Refused(name);

        private static JsonEncodedText Name(TEnum value) =>
            Encoded.TryGetValue(value, out var name) ? name : throw new JsonException($"{value} is not a defined {typeof(TEnum).Name}.");

        private static JsonRefusedValue Refused(string? name) =>
            new($"{(name is null ? "Måste vara ett av namnen" : $"Okänt värde '{name}'")}. Tillåtna (exakt så skrivna): {string.Join(", ", ByName.Keys)}.");
    }
}

/// <summary>A value the domain's JSON refuses, with a message in the user's words (no type names).</summary>
public sealed class JsonRefusedValue(string message) : JsonException(message);
