using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lagesbild.Domain.City;
using Lagesbild.Domain.CrisisBodies;
using Lagesbild.Domain.Districts;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Domain.Sectors;
using Lagesbild.Server.Live;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Lagesbild.Server.Api;

/// <summary>
/// Makes /openapi/v1.json the contract an outside system (and the map page's generated types)
/// can be built from. Everything here is derived from an endpoint's metadata, so an endpoint
/// added later is described the same way without edits of its own: its sign-in, its path
/// parameters, an operationId, every refusal it can give as ProblemDetails. The hub's messages,
/// which no HTTP endpoint returns, are added as schemas.
/// </summary>
public static partial class OpenApiContract
{
    public const string BearerScheme = "Bearer";
    private const string ProblemJson = "application/problem+json";

    /// <summary>A tag's description, shown as the heading text of its group in the reference.</summary>
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Lägesbild"] = "Läsa en lägesbild: hela bilden, loggboken, fingeravtryck och kartans inställningar.",
        ["Ändringar"] = "Ändra en lägesbild. Varje ändring är ett kommando som hamnar i loggboken och når alla kartor som en delta.",
        ["Inloggning"] = "Vem som är inloggad, och utvecklingsinloggningens demoanvändare.",
        ["Publikt"] = "Det invånare får se, utan inloggning.",
        ["Drift"] = "Nodens driftläge för övervakning.",
    };

    private static readonly Dictionary<string, string> PathParameterDescriptions = new(StringComparer.Ordinal)
    {
        ["picture"] = "Lägesbilden: `live` (den riktiga) eller en övning `ex-<namn>`.",
        ["id"] = "Entitetens id: små bokstäver, siffror och bindestreck, t.ex. `farsta-storforsplan`.",
    };

    private static readonly Dictionary<string, string> ResponseDescriptions = new(StringComparer.Ordinal)
    {
        ["400"] = "Ogiltiga uppgifter: `errors` säger vad som är fel per fält.",
        ["401"] = "Inte inloggad, eller inloggningen har gått ut.",
        ["403"] = "Inte behörig: `detail` säger varför.",
        ["404"] = "Finns inte: lägesbilden eller entiteten i sökvägen.",
        ["409"] = "Ändringen går inte att göra nu: `detail` säger varför.",
        ["413"] = "För stor förfrågan.",
        ["415"] = "Fel innehållstyp: skicka application/json.",
        ["422"] = "Idempotency-Key användes redan för en annan ändring.",
        ["429"] = "För många förfrågningar: vänta (Retry-After) och försök igen.",
    };

    /// <summary>Which state each kind of entity carries in a record, a delta and a command's answer.</summary>
    private static readonly (EntityKind Kind, Type State)[] States =
    [
        (EntityKind.City, typeof(CityState)),
        (EntityKind.District, typeof(DistrictState)),
        (EntityKind.SafetyPoint, typeof(SafetyPointState)),
        (EntityKind.Sector, typeof(SectorState)),
        (EntityKind.CrisisBody, typeof(CrisisBodyState)),
        (EntityKind.Resolution, typeof(Domain.Resolutions.ResolutionState)),
        (EntityKind.Assignment, typeof(Domain.Assignments.AssignmentState)),
        (EntityKind.SituationReport, typeof(Domain.Reports.SituationReportState)),
        (EntityKind.ReportRequest, typeof(Domain.Reports.ReportRequestState)),
        (EntityKind.DutyRoster, typeof(Domain.Duty.DutyRosterState)),
        (EntityKind.Alert, typeof(Domain.Alerts.AlertState)),
        (EntityKind.Resource, typeof(Domain.Resources.ResourceState)),
        (EntityKind.ResourceRequest, typeof(Domain.Resources.ResourceRequestState)),
        (EntityKind.Exercise, typeof(Domain.Exercises.ExerciseRunState)),
        (EntityKind.Message, typeof(Domain.Exercises.MessageState)),
        (EntityKind.Evaluation, typeof(Domain.Exercises.EvaluationState)),
    ];

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer(DescribeDocumentAsync);
        options.AddOperationTransformer(DescribeOperationAsync);
    }

    /// <summary>
    /// The API reference page (Scalar) at /api/reference. Its script is the one bundled in the
    /// package and served from this server; nothing is fetched from elsewhere (no CDN fonts, no
    /// telemetry, no AI agent), so the page works offline and within the Content-Security-Policy.
    /// </summary>
    public static void ConfigureReference(ScalarOptions options) => options
        .WithTitle("Lagesbild API")
        .WithOpenApiRoutePattern("/openapi/{documentName}.json")
        .DisableDefaultFonts()
        .DisableTelemetry()
        .DisableAgent();

    /// <summary>Marks an endpoint that writes one of the document's own schemas (e.g. the snapshot) as raw JSON.</summary>
    public static RouteHandlerBuilder WritesSchema(this RouteHandlerBuilder endpoint, string schema) =>
        endpoint.WithMetadata(new WrittenSchema(schema));

    public sealed record WrittenSchema(string Schema);

    private static async Task DescribeDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Lagesbild";
        document.Info.Description =
            "Stockholms lägesbild: trygghetspunkter, stadsdelsområden, sektorer, krisledningsorgan och stadens nivå. " +
            "Allt som ändras går genom kommandon (HTTP eller hubben `/hubs/picture`) och hamnar i loggboken. " +
            "Hubbens meddelanden (`snapshot`, `delta`, `notice`) och svar (`Join`, `Send`) beskrivs som scheman här nedan.";
        // A server URL ending in a slash makes clients join paths into '//api/...'.
        foreach (var server in document.Servers ?? [])
            server.Url = server.Url?.TrimEnd('/') is { Length: > 0 } url ? url : "/";

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "Stadens identitetsleverantör (OpenID Connect), eller i utvecklingsläge `POST /api/dev/sign-in`. " +
                "Hubben tar token som `access_token` i frågesträngen.",
        };

        foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
        {
            if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description))
                tag.Description ??= description;
        }

        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas["ProblemDetails"] = ProblemDetailsSchema();
        await AddHubSchemasAsync(document, context, cancellationToken);
        // Every enum of the domain has a schema of its own, for the lists and maps that refer to it.
        foreach (var type in typeof(Domain.Picture.Command).Assembly.GetTypes().Where(t => t.IsEnum && t.IsPublic))
            await AddSchemaAsync(type, document, context, cancellationToken);

        // An enum is a string with one of its names. The framework lets the first use decide the
        // shared component, and a nullable command field makes null one of the names of a status
        // that no state ever has; a field that may be null says so where it is used.
        foreach (var schema in document.Components.Schemas.Values.OfType<OpenApiSchema>().Where(s => s.Enum is { Count: > 0 }))
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = schema.Enum!.Where(value => value is not null).ToList();
        }

        // A list of an enum, or a map to one, names the enum's component instead of repeating its names.
        var enums = document.Components.Schemas.Where(s => s.Value is OpenApiSchema { Enum.Count: > 0 })
            .ToDictionary(s => string.Join(',', s.Value.Enum!.Select(v => v?.ToJsonString())), s => s.Key);
        IOpenApiSchema Named(IOpenApiSchema element) =>
            element is OpenApiSchema { Enum.Count: > 0 } inline && enums.TryGetValue(string.Join(',', inline.Enum!.Select(v => v?.ToJsonString())), out var name)
                ? new OpenApiSchemaReference(name, document)
                : element;
        foreach (var property in document.Components.Schemas.Values.OfType<OpenApiSchema>().SelectMany(s => s.Properties?.Values ?? []).OfType<OpenApiSchema>())
        {
            if (property.Items is { } items)
                property.Items = Named(items);
            if (property.AdditionalProperties is { } values)
                property.AdditionalProperties = Named(values);
        }
    }

    private static Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        operation.OperationId ??= OperationIdOf(description.HttpMethod ?? "GET", description.RelativePath ?? "");

        operation.Parameters ??= [];
        foreach (var name in PathParameters(description.RelativePath ?? ""))
        {
            var parameter = operation.Parameters.OfType<OpenApiParameter>().FirstOrDefault(p => p.In == ParameterLocation.Path && p.Name == name);
            if (parameter is null)
            {
                parameter = new OpenApiParameter { Name = name, In = ParameterLocation.Path, Required = true, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
                operation.Parameters.Add(parameter);
            }
            parameter.Description ??= PathParameterDescriptions.GetValueOrDefault(name, $"`{name}` i sökvägen.");
        }

        operation.Responses ??= new OpenApiResponses();
        if (metadata.OfType<WrittenSchema>().LastOrDefault() is { } returns)
        {
            operation.Responses["200"] = new OpenApiResponse
            {
                Description = "OK",
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchemaReference(returns.Schema, context.Document) } },
            };
        }

        // A file answer (a PDF export) is bytes on the wire, not base64 text.
        foreach (var media in operation.Responses.Values.SelectMany(r => r.Content ?? new Dictionary<string, OpenApiMediaType>()).Where(c => c.Key == "application/pdf"))
            media.Value.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };

        // Every refusal this endpoint can give, beside those it declares itself.
        var refusals = new HashSet<string>(StringComparer.Ordinal) { "429" }; // the rate limiter is global
        var signedIn = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        if (signedIn)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
            refusals.UnionWith(["401", "403"]);
        }
        else
        {
            // An empty requirement: no sign-in needed.
            operation.Security = [new OpenApiSecurityRequirement()];
        }
        if (operation.RequestBody is not null || operation.Parameters.Any(p => p.In == ParameterLocation.Query))
            refusals.Add("400");
        if (operation.Parameters.Any(p => p.In == ParameterLocation.Path))
            refusals.Add("404");
        foreach (var status in refusals)
            operation.Responses.TryAdd(status, new OpenApiResponse());
        foreach (var (status, response) in operation.Responses.Where(r => r.Key.StartsWith('4')).ToArray())
        {
            operation.Responses[status] = new OpenApiResponse
            {
                Description = ResponseDescriptions.GetValueOrDefault(status, response.Description ?? status),
                Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", context.Document) } },
                Headers = status == "429"
                    ? new Dictionary<string, IOpenApiHeader> { ["Retry-After"] = new OpenApiHeader { Description = "Sekunder att vänta.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } } }
                    : null,
            };
        }
        return Task.CompletedTask;
    }

    /// <summary>A stable operationId from the method and the route's fixed segments, e.g. <c>GET /api/pictures/{picture}/snapshot</c> → <c>GetPicturesSnapshot</c>.</summary>
    public static string OperationIdOf(string method, string route)
    {
        var words = route.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Where(segment => !segment.StartsWith('{') && segment != "api")
            .SelectMany(segment => segment.Split('-', '.', '_'))
            .Where(word => word.Length > 0)
            .Select(word => char.ToUpperInvariant(word[0]) + word[1..]);
        return char.ToUpperInvariant(method[0]) + method[1..].ToLowerInvariant() + string.Concat(words);
    }

    private static IEnumerable<string> PathParameters(string route) =>
        RouteParameter().Matches(route).Select(match => match.Groups["name"].Value).Distinct();

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    /// <summary>RFC 9457, as every refusal is written; a validation refusal adds <c>errors</c> per field.</summary>
    private static OpenApiSchema ProblemDetailsSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "En avvisning (RFC 9457). `title` och `detail` är på svenska och säger vad som är fel.",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Nullable(JsonSchemaType.String),
            ["title"] = Nullable(JsonSchemaType.String),
            ["status"] = Nullable(JsonSchemaType.Integer),
            ["detail"] = Nullable(JsonSchemaType.String),
            ["instance"] = Nullable(JsonSchemaType.String),
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Per fält: vad som är fel.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
        AdditionalPropertiesAllowed = true,
    };

    /// <summary>
    /// The shapes the store writes as JSON by hand (EntryJson, PictureFeed.Snapshot) and the hub's
    /// messages. The states are the domain's own records; the envelope around them is described here.
    /// </summary>
    private static async Task AddHubSchemasAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var schemas = document.Components!.Schemas!;
        foreach (var (_, state) in States)
        {
            await AddSchemaAsync(state, document, context, cancellationToken);
            // The server writes every property of a state, null or not.
            if (schemas[state.Name] is OpenApiSchema stateSchema && stateSchema.Properties is { } properties)
                stateSchema.Required = new HashSet<string>(properties.Keys);
        }
        // The hub's method names (HubMethods), so the page names none that the server does not have.
        schemas["HubServerMethod"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String, Description = "What a client calls on the hub /hubs/picture.",
            Enum = [.. HubMethods.OnServer.Select(name => (JsonNode)JsonValue.Create(name)!)],
        };
        schemas["HubClientMethod"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String, Description = "What the hub calls on a client: snapshot (Snapshot), delta (LogEntry), notice (Notice).",
            Enum = [.. HubMethods.OnClient.Select(name => (JsonNode)JsonValue.Create(name)!)],
        };
        await AddSchemaAsync(typeof(JoinAnswer), document, context, cancellationToken);
        await AddSchemaAsync(typeof(EntityKind), document, context, cancellationToken);

        IOpenApiSchema Ref(string id) => new OpenApiSchemaReference(id, document);
        // An entity record is one base shape whose `kind` says which state it carries: each kind's
        // record extends it (allOf), the form client generators turn into a class per kind.
        var mapping = new Dictionary<string, OpenApiSchemaReference>();
        foreach (var (kind, state) in States)
        {
            var name = $"{kind}Record";
            schemas[name] = new OpenApiSchema
            {
                Description = $"En {kind} som den är nu.",
                AllOf = [Ref("EntityRecord"), Object($"Tillståndet för en {kind}.", new() { ["state"] = Ref(state.Name) })],
            };
            mapping[kind.ToString()] = new OpenApiSchemaReference(name, document);
        }
        schemas["EntityRecord"] = Object("En entitet i lägesbilden med sekvensnumret för dess senaste ändring; `kind` säger vilket tillstånd `state` har.", new()
        {
            ["seq"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
            ["kind"] = Ref(nameof(EntityKind)),
            ["id"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["at"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
            ["by"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Vem som gjorde den senaste ändringen (namn)." },
        });
        ((OpenApiSchema)schemas["EntityRecord"]).Discriminator = new OpenApiDiscriminator { PropertyName = "kind", Mapping = mapping };
        schemas["Snapshot"] = Object("Hela lägesbilden vid sekvensnummer `seq`: hubbens meddelande `snapshot` och `GET .../snapshot`.", new()
        {
            ["picture"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["seq"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
            ["eventId"] = Nullable(JsonSchemaType.String, "Id för händelsen vid `seq` (null i en tom lägesbild)."),
            ["entities"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = Ref("EntityRecord") },
        });
        schemas["LogActor"] = Object("Vem som gjorde ändringen.", new()
        {
            ["name"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["role"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["district"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["sector"] = new OpenApiSchema { Type = JsonSchemaType.String },
        }, required: ["name", "role"]);
        schemas["EntityRef"] = Object("Vilken entitet.", new()
        {
            ["kind"] = Ref(nameof(EntityKind)),
            ["id"] = new OpenApiSchema { Type = JsonSchemaType.String },
        });
        schemas["LogEntry"] = Object("En post i loggboken; hubbens meddelande `delta`. Skrivs aldrig om.", new()
        {
            ["seq"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
            ["id"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Händelsens id." },
            ["picture"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["at"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
            ["command"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Kommandots id: samma för ett upprepat anrop med samma Idempotency-Key." },
            ["trace"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "W3C traceparent för anropet som gjorde ändringen." },
            ["actor"] = Ref("LogActor"),
            ["entity"] = Ref("EntityRef"),
            ["district"] = Nullable(JsonSchemaType.String),
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Vad som hände, t.ex. `SafetyPointVisitorsReported`." },
            ["reason"] = Nullable(JsonSchemaType.String, "Varför; null för partner när det var en intern anteckning."),
            ["internal"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "Skälet är en intern anteckning." },
            ["change"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "Ändringen, olika för varje `type`.", AdditionalPropertiesAllowed = true },
            ["state"] = new OpenApiSchema { Description = "Entitetens hela tillstånd efter ändringen.", OneOf = States.Select(s => Ref(s.State.Name)).ToList() },
        }, required: ["seq", "id", "picture", "at", "actor", "entity", "district", "type", "reason", "change", "state"]);
        schemas["LogPage"] = Object("Loggbokens poster, äldst först.", new() { ["entries"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = Ref("LogEntry") } });
        schemas["Notice"] = Object("Hubbens meddelande `notice`, t.ex. `draining` innan en nod stoppas.", new()
        {
            ["kind"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
        });
        // An accepted command answers with the entity's record.
        if (schemas[nameof(CommandAccepted)] is OpenApiSchema accepted && accepted.Properties is { } acceptedProperties)
            acceptedProperties["entity"] = Ref("EntityRecord");
        if (schemas.TryGetValue(nameof(Alerts.CapReceived), out var received) && received is OpenApiSchema { Properties: { } receivedProperties })
            receivedProperties["entity"] = Ref("EntityRecord");
        // It was there for that property alone.
        schemas.Remove(nameof(System.Text.Json.JsonElement));
    }

    /// <summary>
    /// Adds a type's schema as a component, with its records and enums as references to
    /// components of their own, as the framework does for an endpoint's types. (A schema made in
    /// a document transformer comes back with every nested type inline, nullable ones as not.)
    /// </summary>
    private static async Task<IOpenApiSchema> AddSchemaAsync(Type type, OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var schemas = document.Components!.Schemas!;
        if (!schemas.ContainsKey(type.Name))
        {
            var schema = await context.GetOrCreateSchemaAsync(type, null, cancellationToken);
            schemas[type.Name] = schema;
            if (!type.IsEnum && schema.Properties is { } properties)
            {
                var nullability = new NullabilityInfoContext();
                foreach (var property in type.GetProperties())
                {
                    var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                    if (!properties.ContainsKey(name))
                        continue;
                    var propertyType = System.Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                    var nullable = nullability.Create(property).ReadState == NullabilityState.Nullable;
                    if (Named(propertyType))
                    {
                        var reference = await AddSchemaAsync(propertyType, document, context, cancellationToken);
                        properties[name] = nullable ? new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, reference] } : reference;
                    }
                    else if (propertyType.IsGenericType && propertyType.GetGenericArguments().Last() is var element && Named(element) && properties[name] is OpenApiSchema container)
                    {
                        var reference = await AddSchemaAsync(element, document, context, cancellationToken);
                        // A map's values, or a list's items (an enum's may have come back empty).
                        if (container.AdditionalProperties is not null || OpenApiEnumNames.EnumElement(propertyType, out var isMap) is not null && isMap)
                            container.AdditionalProperties = reference;
                        else
                            container.Items = reference;
                    }
                }
            }
        }
        return new OpenApiSchemaReference(type.Name, document);
    }

    /// <summary>Our own records and enums, which have a schema of their own in the document.</summary>
    private static bool Named(Type type) =>
        type.Namespace?.StartsWith("Lagesbild", StringComparison.Ordinal) == true && (type.IsEnum || type.IsClass) && !type.IsGenericType;

    private static OpenApiSchema Object(string description, Dictionary<string, IOpenApiSchema> properties, string[]? required = null) => new()
    {
        Type = JsonSchemaType.Object,
        Description = description,
        Properties = properties,
        Required = new HashSet<string>(required ?? properties.Keys.ToArray()),
    };

    private static OpenApiSchema Nullable(JsonSchemaType type, string? description = null) =>
        new() { Type = type | JsonSchemaType.Null, Description = description };
}
