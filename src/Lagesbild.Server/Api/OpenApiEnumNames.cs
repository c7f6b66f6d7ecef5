using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Lagesbild.Server.Api;

/// <summary>
/// Enums are read by the domain's own converter (exact names only), which the OpenAPI
/// generator cannot see into; the document says here what that converter accepts: a string,
/// one of the names.
/// </summary>
public sealed class OpenApiEnumNames : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (type.IsEnum)
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = [.. Enum.GetNames(type).Select(name => (JsonNode)JsonValue.Create(name))];
        }
        return Task.CompletedTask;
    }
}
