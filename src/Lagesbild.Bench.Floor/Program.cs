// The benchmark's floor (issue 21): the least a server must do to fan a change out to N maps.
// It speaks just enough of Lagesbild's surface for the benchmark's driver and lean clients
// (development sign-in, a resources report, the digest, the hub's JSON protocol over a plain
// WebSocket), stores nothing, checks nothing, and frames each change once: the same bytes go
// to every socket's queue, and one writer per socket sends them. Lagesbild's latency is
// reported as a ratio to this, measured in the same sitting.
using Lagesbild.Bench.Floor;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddSingleton<FanOut>();
var app = builder.Build();
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });

app.MapGet("/health/live", () => Results.Ok());
app.MapGet("/health/ready", () => Results.Ok());
app.MapPost("/api/dev/sign-in", () => Results.Text("""{"token":"floor"}""", "application/json"));
app.MapGet("/api/pictures/{picture}/digest", (FanOut fanOut) => Results.Text($$"""{"seq":{{fanOut.Seq}},"digest":"floor"}""", "application/json"));
app.MapPut("/api/pictures/{picture}/safety-points/{point}/resources", async (string point, HttpRequest request, FanOut fanOut) =>
{
    using var body = new MemoryStream();
    await request.Body.CopyToAsync(body);
    var (seq, eventId) = fanOut.Publish(point, body.ToArray());
    return Results.Text($$"""{"seq":{{seq}},"eventId":"{{eventId}}"}""", "application/json");
});
app.Map("/hubs/picture", async (HttpContext context, FanOut fanOut) =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return;
    }
    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    await new FloorConnection(socket, fanOut).RunAsync(context.RequestAborted);
});
app.Run();
