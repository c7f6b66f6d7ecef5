using System.Runtime.CompilerServices;
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
        private static readonly EnumNames Table = new(typeof(TEnum));

        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String ? Parse(reader.GetString()) : throw Table.Refused(null);

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Name(value));

        public override TEnum ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Parse(reader.GetString());

        public override void WriteAsPropertyName(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WritePropertyName(Name(value));

        private static TEnum Parse(string? name) =>
            name is not null && Table.ByName.TryGetValue(name, out var bits) ? FromBits(bits) : throw Table.Refused(name);

        private static JsonEncodedText Name(TEnum value) =>
            Table.Encoded.TryGetValue(Bits(value), out var name) ? name : throw new JsonException($"{value} is not a defined {typeof(TEnum).Name}.");

        private static ulong Bits(TEnum value) => Unsafe.SizeOf<TEnum>() switch
        {
            1 => Unsafe.As<TEnum, byte>(ref value),
            2 => Unsafe.As<TEnum, ushort>(ref value),
            4 => Unsafe.As<TEnum, uint>(ref value),
            _ => Unsafe.As<TEnum, ulong>(ref value),
        };

        private static TEnum FromBits(ulong bits) => Unsafe.SizeOf<TEnum>() switch
        {
            1 => Unsafe.As<byte, TEnum>(ref Unsafe.As<ulong, byte>(ref bits)),
            2 => Unsafe.As<ushort, TEnum>(ref Unsafe.As<ulong, ushort>(ref bits)),
            4 => Unsafe.As<uint, TEnum>(ref Unsafe.As<ulong, uint>(ref bits)),
            _ => Unsafe.As<ulong, TEnum>(ref bits),
        };
    }

    /// <summary>
    /// One enum's names and values, the values as their bits. Kept out of the generic converter on
    /// purpose: tables keyed by each enum type would be generic code made at run time, per enum, which
    /// a first start compiled while the picture was seeded and every writer waited for.
    /// </summary>
    private sealed class EnumNames
    {
        public EnumNames(Type type)
        {
            // Both in the same order (by value), as the enum declares them.
            var names = Enum.GetNames(type);
            var values = Enum.GetValuesAsUnderlyingType(type);
            for (var i = 0; i < names.Length; i++)
            {
                var bits = Bits(values.GetValue(i)!);
                ByName.Add(names[i], bits);
                Encoded.Add(bits, JsonEncodedText.Encode(names[i]));
            }
        }

        /// <summary>The value's bits, widened without sign as <c>Names.Bits</c> reads them.</summary>
        private static ulong Bits(object underlying) => underlying switch
        {
            byte v => v,
            sbyte v => (byte)v,
            ushort v => v,
            short v => (ushort)v,
            uint v => v,
            int v => (uint)v,
            ulong v => v,
            long v => (ulong)v,
            _ => throw new NotSupportedException($"An enum over {underlying.GetType().Name}."),
        };

        public Dictionary<string, ulong> ByName { get; } = new(StringComparer.Ordinal);

        public Dictionary<ulong, JsonEncodedText> Encoded { get; } = [];

        public JsonRefusedValue Refused(string? name) =>
            new($"{(name is null ? "Måste vara ett av namnen" : $"Okänt värde '{name}'")}. Tillåtna (exakt så skrivna): {string.Join(", ", ByName.Keys)}.");
    }
}

/// <summary>A value the domain's JSON refuses, with a message in the user's words (no type names).</summary>
public sealed class JsonRefusedValue(string message) : JsonException(message);
