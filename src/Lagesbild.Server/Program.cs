using Lagesbild.Domain.Picture;
using Lagesbild.Geo;
using Lagesbild.Grains.Picture;
using Lagesbild.Grains.Reports;
using Lagesbild.Server;
using Lagesbild.Server.Access;
using Lagesbild.Server.Api;
using Lagesbild.Server.Attention;
using Lagesbild.Server.Assignments;
using Lagesbild.Server.Cluster;
using Lagesbild.Server.Duty;
using Lagesbild.Server.Exercises;
using Lagesbild.Server.Exports;
using Lagesbild.Server.Geo;
using Lagesbild.Server.Live;
using Lagesbild.Server.Page;
using Lagesbild.Server.Replay;
using Lagesbild.Server.Seeding;
using Lagesbild.Server.Storage;
using Lagesbild.Server.Telemetry;
using Lagesbild.Server.Resources;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Configuration;
using Scalar.AspNetCore;
using StackExchange.Redis;

// 0. Before anything rents a buffer: how many the shared pool keeps (see SharedArrayPool); and
//    how many heaps the C library may open (NativeHeap).
SharedArrayPool.Configure();
var arenasLimited = NativeHeap.Configure();
var builder = WebApplication.CreateBuilder(args);
// Building the resolution plan of every registered service, Orleans' hundreds included, at Build()
// costs the start a tenth of a second (issue 21, item 4): as in Production, each is built when first
// resolved. The tests ask for the whole plan (Lagesbild:Start:ValidateServices), so a missing
// dependency still fails a build, not a rarely used request.
var validateServices = builder.Configuration.GetValue("Lagesbild:Start:ValidateServices", false);
builder.Host.UseDefaultServiceProvider((context, options) =>
{
    options.ValidateScopes = context.HostingEnvironment.IsDevelopment();
    options.ValidateOnBuild = validateServices;
});

// 0b. Sign-in is chosen deliberately before anything starts: the city's provider, or the
//     development sign-in asked for by name in Development (see AuthOptions.StartRefusal).
if ((builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions()).StartRefusal(builder.Environment) is { } refusal)
{
    Console.Error.WriteLine(refusal);
    return 1;
}

// 1. Storage: an external Redis, or the embedded Garnet started right here. The store starts
//    and is connected to while the rest is configured and built; the first service that needs
//    the connection (the silo's, at its start) waits for it.
var storage = OptionsAtStart.Read<StorageOptions>(builder.Configuration, StorageOptions.Section);
using var embedded = storage.Embedded ? EmbeddedStore.Start(storage) : null;
var redisConnection = embedded?.ConnectionString ?? storage.Redis!;
var store = ConnectToStoreAsync(embedded, redisConnection);
builder.Services.AddSingleton<IConnectionMultiplexer>(_ => store.GetAwaiter().GetResult());
// On the embedded Garnet the loggbok append runs as a registered procedure (one append-only
// file entry per change instead of eight); on Redis as a Lua script.
builder.Services.AddSingleton(sp => new PictureStore(sp.GetRequiredService<IConnectionMultiplexer>(), useGarnetProcedure: embedded is not null && storage.GarnetAppendProcedure));

// 2. The city's map: district areas for the rules, files for the browser.
builder.Services.AddOptions<MapOptions>().BindConfiguration(MapOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton(sp => new Areas(DistrictAreas.Load(Path.Combine(sp.GetRequiredService<IOptions<MapOptions>>().Value.Directory, "districts.geojson"))));
builder.Services.AddSingleton<IAreas>(sp => sp.GetRequiredService<Areas>());
builder.Services.AddSingleton(TimeProvider.System);

// 3. Orleans: one grain per thing the city manages, clustered through Redis.
var cluster = OptionsAtStart.Read<ClusterSettings>(builder.Configuration, ClusterSettings.Section);
builder.UseOrleans(silo =>
{
    silo.Configure<ClusterOptions>(options =>
    {
        options.ClusterId = cluster.ClusterId;
        options.ServiceId = "lagesbild";
    });
    silo.UseRedisClustering(options => options.ConfigurationOptions = ConfigurationOptions.Parse(redisConnection));
    silo.ConfigureEndpoints(cluster.ResolveAdvertisedAddress(), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: cluster.ListenOnAnyAddress);
    if (cluster.SiloListenPort != 0)
        silo.Configure<EndpointOptions>(options => options.SiloListeningEndpoint = new System.Net.IPEndPoint(cluster.ListenOnAnyAddress ? System.Net.IPAddress.Any : cluster.ResolveAdvertisedAddress(), cluster.SiloListenPort));
    silo.AddActivityPropagation();
    // A dead node is noticed in about 6 s (3 missed probes of 2 s) instead of 15 s.
    silo.Configure<ClusterMembershipOptions>(options => options.ProbeTimeout = TimeSpan.FromSeconds(2));
    silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, DeadSiloSweeper>();
    // A begäran's reminder survives a restart: the grains waiting for one are woken when the node is up.
    silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, Lagesbild.Server.Reports.RequestRemindersAtStart>();
    // An alert's next wave survives a restart the same way.
    silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, Lagesbild.Server.Alerts.AlertEscalationsAtStart>();
    // And a level step's beslut that its node died before recording: the city and the districts look for it when woken.
    silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, Lagesbild.Server.Cluster.CityStepsAtStart>();
    silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, Lagesbild.Server.Cluster.DistrictStepsAtStart>();
    silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, Lagesbild.Server.Exercises.ExerciseRunsAtStart>();
    // A node cut off from the store steps aside: its grains go to nodes that reach the store.
    silo.Services.AddSingleton<PlacementStrategy, StoreAwarePlacement>();
    silo.Services.AddPlacementDirector<StoreAwarePlacement, StoreAwarePlacementDirector>();
    silo.Services.AddSerializer(serializer => serializer.AddJsonSerializer(
        isSupported: type => type.Namespace?.StartsWith("Lagesbild.Domain", StringComparison.Ordinal) == true,
        jsonSerializerOptions: DomainJson.Internal));
    // In Development Orleans checks at every start that each type in a grain interface has a
    // serializer: a walk over every grain method on the start's path (issue 21, item 4). The
    // grain tests' silos, configured as here, run that check instead (PictureCluster).
    silo.Services.Configure<TypeManifestOptions>(options => options.EnableConfigurationAnalysis = false);
});
builder.Services.AddSingleton<CommandBus>();
builder.Services.AddOptions<ReportingRhythmOptions>().BindConfiguration(ReportingRhythmOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<PdfExportOptions>().BindConfiguration(PdfExportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<StepAsideOptions>().BindConfiguration(StepAsideOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<StoreReach>();
builder.Services.AddHostedService<StoreWatch>();

// 4. Live push: SignalR, with delivery to each connection bounded and never awaited by others.
builder.Services.AddOptions<LiveOptions>().BindConfiguration(LiveOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<LiveMetrics>();
builder.Services.AddSingleton<LiveConnections>();
builder.Services.AddSingleton<LiveConnectionCap>();
builder.Services.AddSingleton<PictureChanges>();
builder.Services.AddSingleton<PictureFeeds>();
builder.Services.AddSingleton<ILocalFeed>(sp => sp.GetRequiredService<PictureFeeds>());
builder.Services.AddSingleton<PublicView>();
builder.Services.AddSingleton<CapMessages>();
builder.Services.AddOptions<PublicOptions>().BindConfiguration(PublicOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<AttentionBoard>();
builder.Services.AddOptions<AttentionOptions>().BindConfiguration(AttentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddHostedService(sp => sp.GetRequiredService<PictureFeeds>());
builder.Services.AddSingleton<LiveProtocol>();
builder.Services.AddSingleton<LiveCalls>();
// The hub's WebSockets on our own path: a delta's bytes, framed once, go to every socket (HubSockets).
builder.Services.AddSingleton<HubSockets>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<HubSockets>());
var signalR = builder.Services.AddSignalR(options =>
{
    options.MaximumReceiveMessageSize = CommandBody.MaxBytes;
    options.EnableDetailedErrors = false;
    options.AddFilter<HubRateLimit>();
}).AddJsonProtocol(options =>
{
    DomainJson.Configure(options.PayloadSerializerOptions);
    // A command arrives as a JsonElement and is read strictly by Send, which can then say
    // which key came twice; refused here it would only be "Failed to invoke 'Send'".
    options.PayloadSerializerOptions.AllowDuplicateProperties = true;
});
// In a cluster the SignalR Redis backplane carries hub messages addressed across nodes (to a
// user, a group, everyone). Picture deltas do not go through it: they come from the
// loggbok's own announcements, in sequence order and gap-checked, and are queued per
// connection so that no client's socket can hold up another (the backplane awaits every
// connection of a message before the next).
if (!storage.Embedded)
    signalR.AddStackExchangeRedis(redisConnection, options => options.Configuration.ChannelPrefix = RedisChannel.Literal("lagesbild-hub"));
builder.Services.ConfigureOptions<HubHeartbeat>();
builder.Services.AddSingleton<HubLifetimeManager<LiveHub>>(sp => new TrackingHubLifetimeManager<LiveHub>(
    storage.Embedded
        ? ActivatorUtilities.CreateInstance<DefaultHubLifetimeManager<LiveHub>>(sp)
        : ActivatorUtilities.CreateInstance<Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisHubLifetimeManager<LiveHub>>(sp),
    sp.GetRequiredService<LiveConnections>(), sp.GetRequiredService<TokenRevocations>(), sp.GetRequiredService<LiveConnectionCap>()));

// 5. The picture's configuration and demo data, through the same commands operators use.
builder.Services.AddOptions<SeedOptions>().BindConfiguration(SeedOptions.Section).ValidateOnStart();
builder.Services.AddSingleton<PictureSeeder>();
builder.Services.AddSingleton<LiveSeeding>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<LiveSeeding>());

// 6. Who may do what: sign-in (the city's OpenID Connect provider, or the development
//    sign-in), read policies, rate limits, CORS. What each role may change is decided in
//    the domain (Lagesbild.Domain/Picture/Access.cs), for HTTP and hub alike.
builder.AddLagesbildAccess(store, storage.DataDirectory);
builder.Services.AddSingleton<IOfficeHours>(OfficeHours.Stockholm);

// 7. HTTP: JSON in the domain's one shape, ProblemDetails for every refusal, OpenAPI, health.
builder.Services.ConfigureHttpJsonOptions(options => DomainJson.Configure(options.SerializerOptions));
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<BadRequestHandler>();
builder.Services.AddExceptionHandler<UnavailableHandler>();
builder.Services.AddSingleton<PictureDirectory>();
// The document is the contract (OpenApiContract); enums as the domain's exact-name converter reads them.
builder.Services.AddOpenApi(options =>
{
    OpenApiContract.Configure(options);
    options.AddSchemaTransformer<OpenApiEnumNames>();
});
builder.Services.AddHealthChecks().AddCheck<ReadinessCheck>("ready", tags: ["ready"]);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 1024 * 1024);
var sendBuffer = builder.Configuration.GetSection(LiveOptions.Section).Get<LiveOptions>()?.SocketSendBufferBytes ?? new LiveOptions().SocketSendBufferBytes;
builder.WebHost.UseSockets(sockets => sockets.CreateBoundListenSocket = endpoint =>
{
    // Accepted connections inherit the listening socket's buffer size.
    var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
    if (sendBuffer > 0)
        socket.SendBufferSize = sendBuffer;
    return socket;
});
builder.AddLagesbildTelemetry();
builder.Services.AddPageDelivery();

// 8. Replay of any moment (checkpoints built behind the appends) and a picture as a file.
// Over a connection of their own: a checkpoint reads 1,000 entries (a few MB) in one reply and
// writes the folded picture, and on the appends' connection every append in the meantime waited
// behind both (BENCHMARKS.md, twelfth round). Opened beside the first; taken at first use.
var replayConnection = ConnectToStoreAsync(embedded, redisConnection);
builder.Services.AddSingleton(_ => new ReplayStore(replayConnection.GetAwaiter().GetResult()));
builder.Services.AddSingleton(sp => new PictureReplay(
    new PictureStore(replayConnection.GetAwaiter().GetResult(), useGarnetProcedure: embedded is not null && storage.GarnetAppendProcedure),
    sp.GetRequiredService<ReplayStore>()));
builder.Services.AddHostedService<ReplayCheckpointer>();
builder.Services.AddSingleton<Lagesbild.Server.Exercises.ExerciseAbouts>();
builder.Services.AddSingleton<Lagesbild.Server.Exercises.ExerciseScenarios>();
builder.Services.AddSingleton<Lagesbild.Grains.Exercises.IExerciseScenarioSource>(sp => sp.GetRequiredService<Lagesbild.Server.Exercises.ExerciseScenarios>());
builder.Services.AddSingleton<PictureExports>();
builder.Services.AddSingleton<AfterActionSource>();
builder.Services.AddSingleton<ResolutionIndex>();
builder.Services.AddOptions<TaskListOptions>().BindConfiguration(TaskListOptions.Section).ValidateDataAnnotations().ValidateOnStart();

// 9. Alerts to the person on duty: the rules judged behind the appends, escalation chains per duty.
builder.Services.AddOptions<Lagesbild.Grains.Alerts.AlertOptions>().BindConfiguration(Lagesbild.Grains.Alerts.AlertOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<Lagesbild.Grains.Alerts.AlertChains>();
builder.Services.AddHostedService<Lagesbild.Server.Alerts.AlertWatch>();
// 9b. Delivery of alerts (issue 18 item 3): e-mail, webhook and web push fed by a durable outbox in the store.
Lagesbild.Server.Alerts.Delivery.AlertDeliveryServices.AddAlertDelivery(builder.Services);
// Alerts from outside: CAP 1.2 from configured, signed senders; the schema read once from the shared standards.
builder.Services.AddOptions<Lagesbild.Server.Alerts.CapIntakeOptions>().BindConfiguration(Lagesbild.Server.Alerts.CapIntakeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton(sp => Lagesbild.Server.Alerts.CapSchema.Load(sp.GetRequiredService<IOptions<Lagesbild.Server.Alerts.CapIntakeOptions>>().Value.SchemaDirectory));

// Registered last so it stops first: clients are told and sent elsewhere before the silo leaves.
builder.Services.AddSingleton<LiveDrain>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<LiveDrain>());

var app = builder.Build();
app.Logger.LogInformation(arenasLimited ? "The C library's heap keeps at most two arenas" : "The C library's heap is left as it is (not glibc)");
if (validateServices)
    app.Logger.LogInformation("Every registered service's dependencies were checked at start (Lagesbild:Start:ValidateServices)");

app.UseForwardedHeaders();
// A live map's WebSocket is admitted by the pipeline below and served once it has returned, so
// that none of its middleware keeps its state for the hours a socket stays open (HubSockets).
app.Use(HubSockets.ServeAdmittedAsync);
// Residents' list of open points is answered here, before everything it does not need (PublicListFront).
app.UseMiddleware<PublicListFront>();
app.UsePageCompression();
app.UseExceptionHandler();
// A live map's WebSocket is one request that stays open for hours, and every middleware
// that awaits it keeps its state for as long: the handshake needs no error pages.
app.UseWhen(http => !http.IsWebSocketHandshake(), web => web.UseStatusCodePages());
app.UseMiddleware<SecurityHeaders>();
app.UseCors();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
// Signed in and counted: a person or address over its live-connection cap is refused before a WebSocket opens.
var liveCap = app.Services.GetRequiredService<LiveConnectionCap>();
app.Use((http, next) => http.Request.Path.StartsWithSegments(HubSockets.Path) ? liveCap.AdmitAsync(http, next) : next(http));
// Signed in, authorized for the hub's endpoint and under the caps: a WebSocket is ours, served
// once this pipeline has returned (HubSockets.ServeAdmittedAsync, first above).
app.UseWhen(HubSockets.Takes, sockets => sockets.Run(HubSockets.Admit));
app.UsePageFiles(app.Services.GetRequiredService<IOptions<MapOptions>>().Value.Directory);

app.MapOpenApi();
app.MapScalarApiReference(SecurityHeaders.ReferencePath, OpenApiContract.ConfigureReference);
app.MapAccessApi();
app.MapPublicApi();
app.MapPicturesApi();
app.MapCommandsApi();
Lagesbild.Server.Alerts.CapIntakeApi.MapCapIntakeApi(app);
app.MapPermissionsApi();
app.MapReportsApi();
app.MapLiveStatsApi();
app.MapReplayApi();
app.MapPictureFileApi();
app.MapAttentionApi();
app.MapDutyApi();
app.MapExerciseApi();
app.MapTaskListApi();
app.MapFollowUpApi();
app.MapExportsApi();
app.MapAfterActionApi();
app.MapResolutionSearchApi();
app.MapResourceFollowUpApi();
Lagesbild.Server.Alerts.Delivery.PushSubscriptionsApi.MapPushSubscriptionsApi(app);
// A connection ends when its token expires; the page signs in again and resumes.
// WebSockets (taken over by HubSockets above) or server-sent events: each holds its connection
// in one request, which is what LiveConnectionCap counts. Long polling would spread a connection
// over many requests.
app.MapHub<LiveHub>(HubSockets.Path, options =>
    {
        options.CloseOnAuthenticationExpiration = true;
        options.Transports = HttpTransportType.WebSockets | HttpTransportType.ServerSentEvents;
    })
    .RequireAuthorization(AccessExtensions.OperatorsPicture);
app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = ReadinessCheck.WriteAsync });

app.Lifetime.ApplicationStarted.Register(() => _ = AnnounceWhenReady(app));
await app.RunAsync();
(await replayConnection).Dispose();
(await store).Dispose();
return 0;

static async Task<IConnectionMultiplexer> ConnectToStoreAsync(EmbeddedStore? embedded, string connection)
{
    if (embedded is not null)
        await embedded.Started;
    return await ConnectionMultiplexer.ConnectAsync(connection);
}

static async Task AnnounceWhenReady(WebApplication app)
{
    await app.Services.GetRequiredService<LiveSeeding>().Done;
    var url = app.Urls.FirstOrDefault() ?? "http://localhost:5080";
    Console.WriteLine($"Lagesbild är redo: {url.Replace("0.0.0.0", "localhost").Replace("[::]", "localhost")}/  (lägesbild: live)");
}
