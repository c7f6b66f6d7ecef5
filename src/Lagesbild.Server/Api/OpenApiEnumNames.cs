using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Lagesbild.Server.Api;

/// <summary>
/// Enums are read by the domain's own converter (exact names only), which the OpenAPI
/// generator cannot see into; the document says here what that converter accepts: a string,
/// one of the names. A list of them, or a map to them, loses its element the same way, and
/// is given it back here. (The enums' own schemas are components too: see OpenApiContract.)
/// </summary>
public sealed class OpenApiEnumNames : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (type.IsEnum)
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = Names(type);
        }
        // (The transformer also sees the element's own schema with the collection's type: only the collection gets one.)
        else if (EnumElement(type, out var dictionary) is { } element && schema.Type is { } kind
            && kind.HasFlag(dictionary ? JsonSchemaType.Object : JsonSchemaType.Array))
        {
            var names = new OpenApiSchema { Type = JsonSchemaType.String, Enum = Names(element) };
            if (dictionary)
                schema.AdditionalProperties = names;
            else
                schema.Items = names;
        }
        return Task.CompletedTask;
    }

    private static List<JsonNode> Names(Type type) => [.. Enum.GetNames(type).Select(name => (JsonNode)JsonValue.Create(name)!)];

    /// <summary>The enum a collection holds (a map's values), if it holds one.</summary>
    public static Type? EnumElement(Type type, out bool dictionary)
    {
        var map = type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>));
        var list = type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        dictionary = map is not null;
        var element = map?.GetGenericArguments()[1] ?? (type != typeof(string) ? list?.GetGenericArguments()[0] : null);
        return element is { IsEnum: true } ? element : null;
    }
}
