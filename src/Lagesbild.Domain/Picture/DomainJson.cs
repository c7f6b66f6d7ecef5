using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Lagesbild.Domain.Picture;

/// <summary>The one JSON shape used everywhere: API, hub, store and loggbok.</summary>
public static class DomainJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>
    /// Between silos: the same shape, but tolerant of the type discriminator Orleans' codec
    /// writes for a command, since strictness there protects nobody.
    /// </summary>
    public static readonly JsonSerializerOptions Internal = new(Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip };

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = null;
        // One body, one reading: only the documented spelling (camelCase names, enum names as
        // written) and every key once. A proxy or a client library that reads the body
        // differently (first key wins, names folded) can then never disagree with the server.
        options.PropertyNameCaseInsensitive = false;
        options.AllowDuplicateProperties = false;
        options.Converters.Add(new ExactEnumConverter());
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        // The domain's types from their compile-time description (DomainJsonContext), the rest
        // (the host's own, anything new) by reflection, as before; both with the same settings.
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(DomainJsonContext.Default, options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(KeepInheritedIgnore);
        options.AllowOutOfOrderMetadataProperties = true;
        options.MaxDepth = 16;
        options.NumberHandling = JsonNumberHandling.Strict;
        // Swedish letters stay readable in the loggbok. This JSON is only ever parsed as JSON,
        // never pasted into HTML, so the relaxed escaping is safe.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        return options;
    }

    /// <summary>
    /// System.Text.Json reads [JsonIgnore] from the overriding property only, so a command's
    /// <c>Kind</c> override would otherwise be written, described in the OpenAPI document and
    /// silently skipped when sent. Ignored on the base means ignored everywhere.
    /// </summary>
    private static void KeepInheritedIgnore(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
            return;
        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (info.Properties[i].AttributeProvider is PropertyInfo property &&
                Attribute.GetCustomAttribute(property, typeof(JsonIgnoreAttribute), inherit: true) is JsonIgnoreAttribute { Condition: JsonIgnoreCondition.Always })
                info.Properties.RemoveAt(i);
        }
    }

    /// <summary>The command type a hub message's <c>type</c> names, or null when it names none.</summary>
    public static Type? CommandType(string? discriminator) =>
        Options.GetTypeInfo(typeof(Command)).PolymorphismOptions?.DerivedTypes
            .FirstOrDefault(d => d.TypeDiscriminator as string == discriminator).DerivedType;

    /// <summary>
    /// Why a body could not be read into <paramref name="target"/>, in the user's words: the field
    /// (as a path, e.g. <c>people[0].name</c>; empty for the body as a whole) and what is wrong with
    /// it. Never the serializer's own text, which names .NET types.
    /// </summary>
    public static (string Field, string Message) Explain(Exception error, Type target)
    {
        var path = (error as JsonException)?.Path;
        var segments = Segments(path);
        var field = string.Join("", segments.Select((s, i) => s.StartsWith('[') ? s : i == 0 ? s : "." + s));
        var text = error.Message;
        if (error is JsonRefusedValue)
            return (field, text.Split(" Path:", 2)[0]);
        if (error is NotSupportedException && text.Contains("type discriminator", StringComparison.Ordinal))
            return ("type", $"Måste anges: vilket kommando det är. Tillåtna: {string.Join(", ", CommandTypes())}.");
        if (text.StartsWith("Read unrecognized type discriminator", StringComparison.Ordinal))
            return ("type", $"Okänt kommando. Tillåtna (exakt så skrivna): {string.Join(", ", CommandTypes())}.");
        if (text.Contains("uplicate", StringComparison.Ordinal))
            return (field, "Fältet förekommer mer än en gång; ange varje fält en gång.");
        if (text.StartsWith("Properties that start with '$'", StringComparison.Ordinal) || segments is [.., ['$', ..]])
            return ("", "Fältnamn som börjar med $ tas inte emot.");
        if (text.Contains("could not be mapped to any", StringComparison.Ordinal))
        {
            var known = At(target, segments.Length > 0 ? segments[..^1] : []) is { Kind: JsonTypeInfoKind.Object } parent && !parent.Type.IsAbstract
                ? $" Tillåtna fält (exakt så skrivna): {string.Join(", ", parent.Properties.Select(p => p.Name))}."
                : "";
            return (field, "Okänt fält." + known);
        }
        if (error is JsonException { InnerException: JsonException reader })
        {
            return ("", reader.Message.Contains("maximum configured depth", StringComparison.Ordinal)
                ? $"JSON får vara nästlad i högst {Options.MaxDepth} nivåer."
                : $"Ogiltig JSON på rad {((error as JsonException)?.LineNumber ?? 0) + 1}, tecken {((error as JsonException)?.BytePositionInLine ?? 0) + 1}.");
        }
        return (field, Expected(At(target, segments)));
    }

    private static IEnumerable<string> CommandTypes() =>
        Options.GetTypeInfo(typeof(Command)).PolymorphismOptions!.DerivedTypes.Select(d => (string)d.TypeDiscriminator!);

    /// <summary>What a value of this type looks like, as a user would say it.</summary>
    private static string Expected(JsonTypeInfo? info)
    {
        if (info is null)
            return "Värdet har fel form.";
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        if (type.IsEnum)
            return $"Måste vara ett av namnen (exakt så skrivna): {string.Join(", ", Enum.GetNames(type))}.";
        if (type == typeof(int) || type == typeof(long))
            return "Måste vara ett heltal.";
        if (type == typeof(double))
            return "Måste vara ett tal.";
        if (type == typeof(bool))
            return "Måste vara true eller false.";
        if (type == typeof(string))
            return "Måste vara en text.";
        if (type == typeof(DateTimeOffset))
            return "Måste vara en tidpunkt enligt ISO 8601, t.ex. 2026-12-01T09:00:00Z.";
        return Options.GetTypeInfo(type).Kind switch
        {
            JsonTypeInfoKind.Enumerable => "Måste vara en lista.",
            JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "Måste vara ett objekt.",
            _ => "Värdet har fel form.",
        };
    }

    /// <summary>The contract of the value at a path below <paramref name="target"/>, or null when the path leads nowhere known.</summary>
    private static JsonTypeInfo? At(Type target, IEnumerable<string> segments)
    {
        var info = Options.GetTypeInfo(target);
        foreach (var segment in segments)
        {
            var next = info.Kind switch
            {
                JsonTypeInfoKind.Object => info.Properties.FirstOrDefault(p => p.Name == segment)?.PropertyType,
                JsonTypeInfoKind.Enumerable or JsonTypeInfoKind.Dictionary => info.ElementType,
                _ => null,
            };
            if (next is null)
                return null;
            info = Options.GetTypeInfo(Nullable.GetUnderlyingType(next) ?? next);
        }
        return info;
    }

    /// <summary>"$.people[0]['a b']" → people, [0], a b.</summary>
    private static string[] Segments(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
            return [];
        var segments = new List<string>();
        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                end = end < 0 ? path.Length : end;
                segments.Add(path[(i + 2)..end]);
                i = end + 2;
            }
            else
            {
                var end = path.IndexOf(']', i);
                end = end < 0 ? path.Length - 1 : end;
                segments.Add(path[i..(end + 1)]);
                i = end + 1;
            }
        }
        return [.. segments];
    }
}
