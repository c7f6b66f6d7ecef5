using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lagesbild.Testing;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Lagesbild.Access.Tests;

/// <summary>
/// Thousands of malformed and hostile requests across every endpoint and hub method, from a
/// fixed seed: none may make the server fail (5xx), none that is refused may change the
/// picture, and the server must be healthy afterwards.
/// </summary>
[Collection(AccessServerCollection.Name)]
public sealed class FuzzTests(AccessServer fixture, ITestOutputHelper output)
{
    private const int Seed = 20261128;

    /// <summary>What a .NET type or serializer detail looks like in a message; a refusal says what is wrong in the user's words instead.</summary>
    private static readonly System.Text.RegularExpressions.Regex CodeNames = new(@"Lagesbild\.|System\.|Nullable|`1|\$type|could not be converted|\.NET", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    [Fact]
    public async Task Hostile_requests_never_fail_the_server_and_refused_ones_change_nothing()
    {
        var clock = Stopwatch.StartNew();
        var tally = new Tally(fixture);
        await tally.StartAsync();

        foreach (var (user, http, hub, seed) in new[] { ("anna", 2000, 200, Seed), ("sara", 1000, 120, Seed + 1) })
        {
            using var client = fixture.Server.CreateClient(user);
            var requests = new HostileRequests(seed);
            for (var i = 0; i < http; i++)
                await tally.RunAsync(user, requests.Next(), request => SendAsync(client, request));
            await using var session = new HubSession(fixture.Server, user);
            await using var raw = new RawHub(fixture.Server, user);
            var invocations = new HostileInvocations(seed, requests);
            for (var i = 0; i < hub; i++)
            {
                if (i % 4 == 3)
                    await tally.RunAsync(user, invocations.NextRaw(), async frame => Classify(await raw.SendAsync(frame.Frame, frame.InvocationId)));
                else
                    await tally.RunAsync(user, invocations.Next(), session.InvokeAsync);
            }
            tally.Connections += session.Connections + raw.Connections;
        }
        await tally.CheckAsync("the end");
        var health = await fixture.Central.GetAsync("health/ready");

        output.WriteLine($"Fuzz (seed {Seed}): {tally.Total} requests in {clock.Elapsed.TotalSeconds:F1} s, as anna (central) then sara (district farsta)");
        output.WriteLine(tally.Report());
        output.WriteLine($"health/ready afterwards: {(int)health.StatusCode}");
        Assert.True(tally.Failures.Count == 0, $"{tally.Failures.Count} problems:\n" + string.Join('\n', tally.Failures
            .GroupBy(f => f.Problem)
            .Select(g => $"{g.Key}: {g.Count()}, e.g.\n    {string.Join("\n    ", g.Select(f => f.Example).DistinctBy(e => e[..Math.Min(e.Length, 60)]).Take(10))}")));
        Assert.True(health.IsSuccessStatusCode, $"health/ready answered {(int)health.StatusCode}");
    }

    /// <summary>Found by the fuzz: an id may not end in a line break (the id pattern's $ matches before a final \n).</summary>
    [Fact]
    public async Task An_id_or_picture_with_a_trailing_line_break_is_refused()
    {
        await using var hub = new LiveClient(fixture.Server.BaseAddress, reconnect: false, user: "anna");
        await hub.ConnectAsync();
        var before = await fixture.DigestAsync();
        var point = DemoPoints.In("farsta");
        var register = new JsonObject
        {
            ["district"] = "farsta", ["name"] = "Radbrytning", ["address"] = "Testgatan 1",
            ["position"] = new JsonObject { ["lon"] = point.Lon, ["lat"] = point.Lat }, ["tier"] = 2, ["capacity"] = 10,
        };

        var overHttp = await new CommandRequest("RegisterSafetyPoint", "fuzz-radbrytning\n", "POST", "safety-points", register, IdInBody: "fuzz-radbrytning\n").SendAsync(fixture.Central);
        var overHub = await new CommandRequest("RegisterSafetyPoint", "fuzz-radbrytning-hub\n", "POST", "safety-points", register).SendAsync(hub);
        var inPicture = await new CommandRequest("RegisterSafetyPoint", "fuzz-radbrytning", "POST", "safety-points", register, IdInBody: "fuzz-radbrytning").SendAsync(fixture.Central, "ex-radbrytning%0A");
        var after = await fixture.DigestAsync();

        output.WriteLine($"id \"fuzz-radbrytning\\n\" over HTTP: {overHttp.Status} {overHttp.Detail}");
        output.WriteLine($"id \"fuzz-radbrytning-hub\\n\" over the hub: {overHub.Status} {overHub.Detail}");
        output.WriteLine($"picture \"ex-radbrytning\\n\": {inPicture.Status} {inPicture.Detail}");
        Assert.Equal(400, overHttp.Status);
        Assert.Equal(400, overHub.Status);
        Assert.Equal(404, inPicture.Status);
        Assert.Equal(before, after);
    }

    /// <summary>Found by the fuzz: a command to a picture that was never created must not create things in it.</summary>
    [Fact]
    public async Task A_command_to_a_picture_that_does_not_exist_is_refused_with_404()
    {
        var point = DemoPoints.In("farsta");
        var register = new CommandRequest("RegisterSafetyPoint", "spokpunkt", "POST", "safety-points", new JsonObject
        {
            ["district"] = "farsta", ["name"] = "Spökpunkt", ["address"] = "Testgatan 1",
            ["position"] = new JsonObject { ["lon"] = point.Lon, ["lat"] = point.Lat }, ["tier"] = 2, ["capacity"] = 10,
        }, IdInBody: "spokpunkt");
        using var sara = fixture.Server.CreateClient("sara");

        var answer = await register.SendAsync(sara, "ex-finns-inte");
        var snapshot = await fixture.Central.GetAsync("api/pictures/ex-finns-inte/snapshot");
        var log = await fixture.Central.GetAsync("api/pictures/ex-finns-inte/log");

        output.WriteLine($"register in ex-finns-inte: {answer.Status} {answer.Detail}; its snapshot: {(int)snapshot.StatusCode}, its log: {(int)log.StatusCode}");
        Assert.Equal(404, answer.Status);
        Assert.Equal(404, (int)snapshot.StatusCode);
    }

    private static async Task<Outcome> SendAsync(HttpClient http, HostileRequest request)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        }
        if (request.Header is var (name, value))
            message.Headers.TryAddWithoutValidation(name, value);
        using var response = await http.SendAsync(message);
        var status = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode)
            return new Outcome(status, status.ToString(), null, null, await response.Content.ReadAsStringAsync());
        if (request.Expect == Expect.Read)
            return new Outcome(status, status.ToString(), null, null);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        // A task list answers with the uppdrag it gave, each with its place in the loggbok.
        if (accepted.TryGetProperty("assignments", out var given))
            return new Outcome(status, status.ToString(), given[0].GetProperty("seq").GetInt64(), null) { Entries = given.GetArrayLength() };
        return accepted.TryGetProperty("seq", out var seq) && accepted.TryGetProperty("entity", out var entity)
            ? new Outcome(status, status.ToString(), seq.GetInt64(), entity.GetProperty("state").Clone())
            : new Outcome(status, status.ToString(), null, null);
    }

    /// <summary>What came back: an HTTP status (or 0 for the hub's non-HTTP outcomes), a label to count it under, for an accepted change its seq and state, for a refusal what it said.</summary>
    private sealed record Outcome(int Status, string Label, long? Seq, JsonElement? State, string? Refusal = null)
    {
        /// <summary>How many loggbok entries the accepted request made: one, or a task list's uppdrag.</summary>
        public int Entries { get; init; } = 1;

        public bool ServerError => Status >= 500;
    }

    /// <summary>
    /// Counts outcomes and watches the picture: the digest is read before every request that
    /// may be accepted and every 50 requests, so any change not explained by an accepted
    /// request is caught and attributed to the refused requests since the last look.
    /// </summary>
    private sealed class Tally(AccessServer fixture)
    {
        private readonly Dictionary<string, int> _byStatus = new();
        private readonly Dictionary<string, int> _byKind = new();
        private readonly Dictionary<string, int> _hub = new();
        private (long Seq, string Digest) _baseline;
        private int _sinceCheck;

        public List<(string Problem, string Example)> Failures { get; } = [];
        public int Total { get; private set; }
        public int ServerErrors { get; private set; }
        public int StateChangesFromRefused { get; private set; }
        public int Accepted { get; private set; }
        public int AcceptedHostile { get; private set; }
        public int Refused { get; private set; }
        public int Connections { get; set; }

        public async Task StartAsync() => _baseline = await fixture.DigestAsync();

        public async Task RunAsync<TCase>(string user, TCase request, Func<TCase, Task<Outcome>> send) where TCase : IFuzzCase
        {
            var overHttp = request is HostileRequest;
            if (request.Expect == Expect.MaybeAccepted)
                await CheckAsync($"before {request}");

            var outcome = await send(request);
            Total++;
            _sinceCheck++;
            Count(overHttp ? _byStatus : _hub, overHttp ? StatusClass(outcome.Status) : outcome.Label);
            Count(_byKind, (overHttp ? "http " : "hub ") + request.Kind);
            if (outcome.Refusal is { } said && CodeNames.IsMatch(said))
                Failures.Add(($"refusal names code on {(overHttp ? "http " : "hub ")}{request.Kind}", $"{user}: {request} → {said}"));
            if (outcome.ServerError)
            {
                ServerErrors++;
                Failures.Add(($"server error ({(overHttp ? outcome.Status : outcome.Label)}) on {(overHttp ? "http " : "hub ")}{request.Kind}", $"{user}: {request}"));
            }

            if (request.Expect != Expect.Read && outcome.Status is >= 200 and < 300)
            {
                Accepted++;
                if (request.Expect == Expect.Refused)
                {
                    AcceptedHostile++;
                    Failures.Add(("accepted though it should be refused", $"{user}: seq {outcome.Seq}: {request}"));
                }
                await AfterAcceptedAsync(user, request, outcome);
                return;
            }
            if (request.Expect != Expect.Read)
                Refused++;
            if (_sinceCheck >= 50)
                await CheckAsync($"after {request}");
        }

        public async Task CheckAsync(string where)
        {
            var now = await fixture.DigestAsync();
            if (now != _baseline)
            {
                StateChangesFromRefused++;
                Failures.Add(("state change from refused requests", $"the picture changed ({_baseline.Seq} → {now.Seq}) with only refused requests since the last look, {where}"));
            }
            _baseline = now;
            _sinceCheck = 0;
        }

        /// <summary>An accepted change must be the only one since the last look, and must store odd text exactly.</summary>
        private async Task AfterAcceptedAsync(string user, object request, Outcome outcome)
        {
            var now = await fixture.DigestAsync();
            // A step on the escalation ladder is followed by its beslut, recorded by Lagesbild.
            var text = request.ToString() ?? "";
            var entries = text.Contains("local-level", StringComparison.Ordinal) || text.Contains("city/level", StringComparison.Ordinal) ||
                text.Contains("LocalLevel", StringComparison.Ordinal) || text.Contains("CityLevel", StringComparison.Ordinal) ? 2 : outcome.Entries;
            if (now.Seq != _baseline.Seq + entries || outcome.Seq != _baseline.Seq + 1)
            {
                StateChangesFromRefused++;
                Failures.Add(("state change from refused requests", $"{user}: accepted at seq {outcome.Seq}, but the picture went {_baseline.Seq} → {now.Seq}: {request}"));
            }
            if (request is HostileRequest { Echo: var (field, value) } && outcome.State is { } state &&
                (!state.TryGetProperty(field, out var stored) || stored.GetString() != value))
            {
                Failures.Add(("odd text not stored exactly", $"{user}: {field} stored as {(state.TryGetProperty(field, out var s) ? s.GetRawText() : "nothing")}, sent {JsonSerializer.Serialize(value)}"));
            }
            _baseline = now;
            _sinceCheck = 0;
        }

        private static string StatusClass(int status) => status switch
        {
            >= 200 and < 300 => "2xx",
            400 or 401 or 403 or 404 or 405 or 409 or 413 or 415 or 429 or 431 => status.ToString(),
            >= 400 and < 500 => "4xx other",
            >= 500 => "5xx",
            _ => status.ToString(),
        };

        private static void Count(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

        public string Report()
        {
            var text = new StringBuilder();
            text.AppendLine($"total {Total}: accepted {Accepted} (of which should-have-been-refused {AcceptedHostile}), refused {Refused}, reads {Total - Accepted - Refused}");
            text.AppendLine($"5xx / hub server errors = {ServerErrors}");
            text.AppendLine($"state changes from refused requests = {StateChangesFromRefused}");
            text.AppendLine("http by status: " + string.Join(", ", _byStatus.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}")));
            text.AppendLine($"hub by outcome ({Connections} connections): " + string.Join(", ", _hub.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}")));
            text.Append("by kind: " + string.Join(", ", _byKind.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}")));
            return text.ToString();
        }
    }

    /// <summary>What a hub error message means: a refusal (ProblemDetails), arguments that could not be bound, or a failure of the server.</summary>
    private static Outcome Classify(string message) => ClassifyWithoutText(message) with { Refusal = message };

    private static Outcome ClassifyWithoutText(string message)
    {
        if (Answer.Of(new HubException(message)) is { Status: > 0 } refusal)
            return new Outcome(refusal.Status, $"refused {refusal.Status}", null, null);
        if (message.StartsWith("Failed to invoke", StringComparison.Ordinal) || message.StartsWith("Unknown hub method", StringComparison.Ordinal))
            return new Outcome(0, "not invoked (bad arguments or method)", null, null);
        if (message.Contains("unexpected error", StringComparison.OrdinalIgnoreCase))
            return new Outcome(500, "server error: " + message, null, null);
        if (message == "no answer in 10 s")
            return new Outcome(599, message, null, null);
        if (message.StartsWith("The server closed the connection", StringComparison.Ordinal))
            return new Outcome(0, "connection closed by the server", null, null);
        if (message.Contains("streaming", StringComparison.Ordinal))
            return new Outcome(0, "not invoked (bad arguments or method)", null, null);
        return new Outcome(0, message, null, null);
    }

    /// <summary>A hub connection that comes back after the server closes it (as it does for a message over 64 KB).</summary>
    private sealed class HubSession(ServerProcess server, string user) : IAsyncDisposable
    {
        private HubConnection? _connection;

        public int Connections { get; private set; }

        public async Task<Outcome> InvokeAsync(HostileInvocation invocation)
        {
            if (_connection is not { State: HubConnectionState.Connected })
            {
                if (_connection is not null)
                    await _connection.DisposeAsync();
                _connection = new HubConnectionBuilder()
                    .WithUrl(new Uri(server.BaseAddress, "hubs/picture"), options =>
                    {
                        options.Transports = HttpTransportType.WebSockets;
                        options.SkipNegotiation = true;
                        options.AccessTokenProvider = () => Task.FromResult<string?>(server.SignIn(user));
                    })
                    // Deep nesting is the point of some messages; the client must not refuse to write them.
                    .AddJsonProtocol(json => json.PayloadSerializerOptions.MaxDepth = 4096)
                    .Build();
                await _connection.StartAsync();
                Connections++;
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var connection = _connection;
            try
            {
                var result = await connection.InvokeCoreAsync(invocation.Method, typeof(JsonElement), invocation.Arguments, timeout.Token);
                return result is JsonElement { ValueKind: JsonValueKind.Object } answer && answer.TryGetProperty("seq", out var seq)
                    ? new Outcome(200, "accepted", seq.GetInt64(), answer.GetProperty("entity").GetProperty("state").Clone())
                    : new Outcome(200, "answered", null, null);
            }
            catch (HubException error)
            {
                return Classify(error.Message);
            }
            catch (Exception) when (connection.State != HubConnectionState.Connected)
            {
                return new Outcome(0, "connection closed by the server", null, null);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                return new Outcome(599, "no answer in 10 s", null, null);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_connection is not null)
                await _connection.DisposeAsync();
        }
    }
}

/// <summary>One generated hub invocation: a method (Join, Send or one that does not exist) and its arguments.</summary>
public sealed record HostileInvocation(string Kind, string Method, object?[] Arguments, Expect Expect) : IFuzzCase
{
    public override string ToString()
    {
        var text = $"{Kind}: {Method}({string.Join(", ", Arguments.Select(a => a is JsonElement e ? e.GetRawText() : JsonSerializer.Serialize(a)))})";
        return text.Length > 300 ? text[..300] + "…" : text;
    }
}

/// <summary>A frame of the hub's JSON protocol written by hand, and the invocation id it carries (none: no answer is due).</summary>
public sealed record RawFrame(string Kind, byte[] Frame, string? InvocationId, Expect Expect) : IFuzzCase
{
    public override string ToString() => $"{Kind}: {Encoding.UTF8.GetString(Frame.AsSpan(0, Math.Min(Frame.Length, 200)))}";
}

/// <summary>Seeded garbage for the hub: Send with broken commands and targets, Join with broken arguments, methods that do not exist.</summary>
public sealed class HostileInvocations(int seed, HostileRequests strings)
{
    private readonly Random _random = new(seed);

    private static readonly string[] Targets = ["farsta-storforsplan", "sodermalm-tellus", "farsta", "sodermalm", "energiforsorjning", "lokal-farsta", "stockholm"];

    public HostileInvocation Next() => _random.Next(10) switch
    {
        < 6 => Send(),
        < 8 => Join(),
        _ => Unknown(),
    };

    private HostileInvocation Send()
    {
        var picture = _random.Next(5) == 0 ? strings.Pick<object?>([null, "LIVE", "../live", "ex-", 5, strings.Pick(HostileRequests.Injections)]) : "live";
        var target = _random.Next(3) == 0 ? strings.Pick<object?>([null, 42, new string('t', 30_000), strings.Pick(HostileRequests.Injections)]) : strings.Pick(Targets);
        var type = strings.Pick(HostileRequests.CommandTypes.ToArray());
        string kind;
        string json;
        var expect = Expect.Refused;
        switch (_random.Next(14))
        {
            case 11:
                kind = "a key given twice";
                json = strings.Pick([
                    """{"type":"ReportSafetyPointVisitors","visitors":0,"visitors":5}""",
                    """{"type":"ReportSafetyPointVisitors","type":"SetSectorLead","visitors":0}""",
                    """{"type":"SetSafetyPointCapabilities","capabilities":{"Heat":"Available","Heat":"Unavailable"}}""",
                ]);
                break;
            case 12:
                kind = "a name or value in another case";
                json = strings.Pick([
                    """{"type":"ReportSafetyPointVisitors","Visitors":0}""",
                    """{"Type":"ReportSafetyPointVisitors","visitors":0}""",
                    """{"type":"SetDistrictSituation","situation":"strained"}""",
                    """{"type":"ChangeCrisisBodyActivation","activation":"STANDBY"}""",
                    """{"type":"SetSafetyPointCapabilities","capabilities":{"heat":"Available"}}""",
                    """{"type":"ReportSafetyPointVisitors","visitors":0,"kind":"City"}""",
                ]);
                break;
            case 13:
                kind = "invisible or reordering text";
                json = $$"""{"type":"SetSectorLead","leadBody":"{{strings.Pick(["\\u200B", "\\uFEFF\\u200D", "\\u202Eabc", "a\\u2066b"])}}"}""";
                break;
            case 0:
                kind = "valid command";
                json = $$"""{"type":"ReportSafetyPointVisitors","visitors":0,"reason":{{JsonSerializer.Serialize(strings.Pick(HostileRequests.Injections))}}}""";
                expect = Expect.MaybeAccepted;
                break;
            case 1:
                kind = "no type";
                json = """{"visitors":0}""";
                break;
            case 2:
                kind = "unknown type";
                json = $$"""{"type":{{strings.Pick(["\"DropDatabase\"", "\"Command\"", "\"\"", "5", "null", "\"reportsafetypointvisitors\"", "[\"ChangeCityLevel\"]"])}},"visitors":0}""";
                break;
            case 3:
                kind = "configuration command";
                json = strings.Pick([
                    """{"type":"RegisterDistrict","name":"Fuzzdistrikt"}""",
                    """{"type":"RegisterSector","name":"Fuzzsektor","leadBody":"Ingen"}""",
                    """{"type":"RegisterCrisisBody","name":"Fuzzorgan","bodyKind":"Board"}""",
                    """{"type":"RegisterCity","name":"Fuzzstad"}""",
                ]);
                target = "fuzz-" + _random.Next(1_000_000);
                break;
            case 4:
                kind = "unknown field";
                json = $$"""{"type":"{{type}}","admin":true,"$type":"Command"}""";
                break;
            case 5:
                kind = "wrong types";
                json = $$"""{"type":"{{type}}","visitors":"many","status":7,"situation":[],"level":{},"people":"all","at":true,"capabilities":[1]}""";
                break;
            case 6:
                kind = "not an object";
                json = strings.Pick(["\"ReportSafetyPointVisitors\"", "42", "[{\"type\":\"ReportSafetyPointVisitors\"}]", "null", "true"]);
                break;
            case 7:
                kind = "deep JSON";
                json = $$"""{"type":"{{type}}","reason":{{strings.Deep(_random.Next(100, 300))}}}""";
                break;
            case 8:
                kind = "huge message (>64 KB)";
                json = $$"""{"type":"{{type}}","reason":"{{new string('x', 70_000)}}"}""";
                break;
            case 9:
                kind = "long text";
                json = $$"""{"type":"{{type}}","reason":"{{new string('x', 5_000)}}","name":"{{new string('n', 3_000)}}"}""";
                break;
            default:
                kind = "control characters";
                json = $$"""{"type":"SetSectorLead","leadBody":"{{strings.Pick(["\\u0000", "a\\u0007b", "\\u001b[31m"])}}"}""";
                break;
        }
        return new HostileInvocation(kind, "Send", [picture, target, Element(json)], expect);
    }

    private HostileInvocation Join()
    {
        object?[] arguments =
        [
            strings.Pick<object?>(["live", "live", null, "LIVE", "ex-finns-inte", 7, new string('p', 1000), strings.Pick(HostileRequests.Injections)]),
            strings.Pick<object?>([null, 0L, -1L, long.MaxValue, "abc", 1.5, Element("[1]")]),
            strings.Pick<object?>([null, "", "deadbeef", new string('e', 10_000), 3, strings.Pick(HostileRequests.Injections)]),
        ];
        if (_random.Next(6) == 0)
            arguments = arguments[.._random.Next(arguments.Length)];
        // A Join that succeeds is a read; a refused one changes nothing either.
        return new HostileInvocation("join", "Join", arguments, Expect.Read);
    }

    private HostileInvocation Unknown()
    {
        var method = strings.Pick(["Admin", "Leave", "send", "OnConnectedAsync", "Dispose", "Context", "Send ", "Join\u0000", "Send"]);
        object?[] arguments = method == "Send" ? ["live", "farsta-storforsplan"] : ["live", null, null, 4];
        return new HostileInvocation("unknown method or wrong arity", method, arguments, Expect.Refused);
    }

    /// <summary>Frames no SignalR client writes: broken JSON, lone surrogates, invalid UTF-8, nesting past the reader's limit, unknown message types.</summary>
    public RawFrame NextRaw()
    {
        static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
        var send = """{"type":1,"invocationId":"x","target":"Send","arguments":["live","energiforsorjning",COMMAND]}""";
        return _random.Next(14) switch
        {
            0 => new("lone surrogate in a command", Utf8(send.Replace("COMMAND", $$"""{"type":"SetSectorLead","leadBody":"{{strings.Pick(["\\ud800", "a\\udfffb", "\\ud83d"])}}"}""")), "x", Expect.Refused),
            1 => new("invalid UTF-8 in a command", [.. Utf8(send.Replace("COMMAND", """{"type":"SetSectorLead","leadBody":"a""")), 0xC3, 0x28, 0xFF, .. Utf8("\"}]}")], "x", Expect.Refused),
            2 => new("broken JSON frame", Utf8(send.Replace("COMMAND", """{"type":"SetSectorLead","leadBody":"x"}""")[..(20 + _random.Next(60))]), "x", Expect.Refused),
            3 => new("deep JSON in a command", Utf8(send.Replace("COMMAND", $$"""{"type":"SetSectorLead","leadBody":{{strings.Deep(_random.Next(70, 300))}}}""")), "x", Expect.Refused),
            4 => new("deep JSON as the frame", Utf8(strings.Deep(_random.Next(70, 300))), null, Expect.Refused),
            5 => new("unknown message type", Utf8(strings.Pick(["""{"type":99}""", """{"type":"1","target":"Send"}""", """{"target":"Send","arguments":[]}""", "[]", "null", "\"x\""])), null, Expect.Refused),
            6 => new("invocation without a usable target", Utf8(strings.Pick(["""{"type":1,"invocationId":"x","arguments":[]}""", """{"type":1,"invocationId":"x","target":null,"arguments":[]}""", """{"type":1,"invocationId":"x","target":5,"arguments":[]}"""])), "x", Expect.Refused),
            7 => new("arguments that are not an array", Utf8(strings.Pick(["""{"type":1,"invocationId":"x","target":"Send","arguments":{"a":1}}""", """{"type":1,"invocationId":"x","target":"Join","arguments":"live"}""", """{"type":1,"invocationId":"x","target":"Send"}"""])), "x", Expect.Refused),
            8 => new("fire-and-forget garbage", Utf8(send.Replace(",\"invocationId\":\"x\"", "").Replace("COMMAND", """{"type":"DropDatabase"}""")), null, Expect.Refused),
            9 => new("stream invocation of Send", Utf8(send.Replace("\"type\":1", "\"type\":4").Replace("COMMAND", """{"type":"ReportSafetyPointVisitors","visitors":0}""")), "x", Expect.Refused),
            10 => new("completion, cancel or ping from the client", Utf8(strings.Pick(["""{"type":3,"invocationId":"x","result":1}""", """{"type":5,"invocationId":"nope"}""", """{"type":6}"""])), null, Expect.Refused),
            11 => new("huge frame (>64 KB)", Utf8(send.Replace("COMMAND", $$"""{"type":"SetSectorLead","leadBody":"{{new string('x', 70_000)}}"}""")), "x", Expect.Refused),
            12 => new("duplicate and extra properties", Utf8("""{"type":1,"invocationId":"x","target":"Send","target":"Join","extra":{"a":[1,2]},"arguments":["live","farsta",{"type":"SetDistrictSituation","situation":"Nope"}]}"""), "x", Expect.Refused),
            _ => new("close from the client", Utf8("""{"type":7,"error":"bye"}"""), null, Expect.Refused),
        };
    }

    private static JsonElement Element(string json) =>
        JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4096 }).RootElement.Clone();
}
