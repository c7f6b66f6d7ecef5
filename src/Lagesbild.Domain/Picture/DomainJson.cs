using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

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
        options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowOutOfOrderMetadataProperties = true;
        options.MaxDepth = 16;
        options.NumberHandling = JsonNumberHandling.Strict;
        // Swedish letters stay readable in the loggbok. This JSON is only ever parsed as JSON,
        // never pasted into HTML, so the relaxed escaping is safe.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        return options;
    }
}
