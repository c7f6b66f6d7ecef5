using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Lagesbild.Domain.Picture;
using Lagesbild.Testing;

namespace Lagesbild.Access.Tests;

/// <summary>
/// An internal note is the city's alone. The city writes one through every command a person
/// can send, over HTTP and over the hub; then everything a partner (observer) can receive, as
/// the bytes arrive, is searched for the notes: every HTTP answer a partner may read and the
/// live hub as a partner's map gets it (the deltas as they happen, a fresh join's snapshot, a
/// resume's replayed entries). The city's own view is searched too, to prove the notes are there
/// to be found.
/// </summary>
[Collection(AccessServerCollection.Name)]
public sealed class ObserverWalkTests(AccessServer fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task An_internal_note_written_through_every_command_reaches_a_partner_through_no_shape()
    {
        // Every command the wire knows, less the city's configuration (which no person sends).
        var onTheWire = typeof(Command).GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => (string)a.TypeDiscriminator!)
            .Where(name => !name.StartsWith("Register", StringComparison.Ordinal) || name == "RegisterSafetyPoint")
            // and less a level's beslut, which Lagesbild records from the level change (walked with it).
            .Where(name => name != "RecordEscalationResolution")
            // and less a report's answer to a begäran and a begäran's reminder, which Lagesbild records itself.
            .Where(name => name is not ("RecordReportAnswer" or "RemindReportRequest"))
            // and less a resource's moves, which Lagesbild records as its begäran moves; central registers resources.
            .Where(name => name is not ("AssignResource" or "MarkResourceDelivered" or "FreeResource"))
            // and less an alert's raise, waves and clearing, which Lagesbild's rules record (its acknowledgement is walked),
            .Where(name => name is not ("RaiseAlert" or "EscalateAlert" or "ClearAlert"))
            // and less how the outbox delivered it, which Lagesbild's sender records,
            .Where(name => name != "RecordAlertDelivery")
            // and less an update from outside, which a signed CAP sender makes (CapIntakeTests),
            .Where(name => name != "UpdateAlertFromCap")
            .Append("RegisterResource")
            // and less an exercise's run and inkorg, which exist only in an exercise (walked there, below), and a delivery, which Lagesbild records.
            .Where(name => !ExerciseWalk.Any(step => step.Command == name) && name != "RecordInjectDelivered");
        Assert.Equal(onTheWire.Order(), ValidCommands.Names.Order());

        var commands = new ValidCommands(fixture);
        var anna = DemoUser.Get("anna");
        var (startSeq, _) = await fixture.DigestAsync();
        var startEventId = await EventIdAtAsync(startSeq);
        await using var watching = await ObserverSocket.JoinAsync(fixture.Server, "polis", afterSeq: null, afterEventId: null);
        await using var annaHub = new LiveClient(fixture.Server.BaseAddress, reconnect: false, user: "anna");
        await annaHub.ConnectAsync();

        var notes = new Dictionary<string, string>();
        var targets = new HashSet<string>();
        long lastSeq = startSeq;
        foreach (var (action, index) in ValidCommands.Names.Select((a, i) => (a, i)))
        {
            var note = $"INTERNT{index:D2}x{Guid.NewGuid():N}";
            notes[action] = note;
            var request = await commands.PrepareAsync(action, anna, Side.Own, "walk");
            request.Body["reason"] = note;
            request.Body["internal"] = true;
            // Half the notes are written over HTTP, half over the hub: both write paths are walked.
            var answer = index % 2 == 0 ? await request.SendAsync(fixture.Central) : await request.SendAsync(annaHub);
            Assert.True(answer.Accepted, $"{action}: {answer.Status} {answer.Detail}");
            lastSeq = answer.Seq!.Value;
            targets.Add($"{request.EntityKind()}/{request.Target}");
        }
        // An event kind's task list has a route of its own (each of its tasks an uppdrag): its note is walked too.
        var listNote = $"INTERNTLISTAx{Guid.NewGuid():N}";
        notes["IssueTaskList"] = listNote;
        var listId = $"walk-{Guid.NewGuid():N}"[..20];
        using (var listAnswer = await fixture.Central.SendJsonAsync("POST", "api/pictures/live/task-lists",
            $$"""{"id":"{{listId}}","eventKind":"langvarigt-elavbrott","districts":["farsta"],"reason":"{{listNote}}","internal":true}"""))
        {
            var issued = await listAnswer.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(listAnswer.IsSuccessStatusCode, issued.ToString());
            foreach (var task in issued.GetProperty("assignments").EnumerateArray())
            {
                targets.Add($"Assignment/{task.GetProperty("id").GetString()}");
                lastSeq = task.GetProperty("seq").GetInt64();
            }
        }
        await watching.WaitForAsync($"{{\"seq\":{lastSeq},");

        using var polis = fixture.Server.CreateClient("polis");
        var shapes = new List<(string Where, string Text)>
        {
            ("live deltas as they happened (hub)", watching.Received),
        };
        await using (var fresh = await ObserverSocket.JoinAsync(fixture.Server, "polis", afterSeq: null, afterEventId: null))
        {
            await fresh.WaitForAsync("\"entities\"");
            shapes.Add(("a fresh join's snapshot (hub)", fresh.Received));
        }
        await using (var resumed = await ObserverSocket.JoinAsync(fixture.Server, "polis", startSeq, startEventId))
        {
            await resumed.WaitForAsync($"{{\"seq\":{lastSeq},");
            shapes.Add(("a resume's replayed entries (hub)", resumed.Received));
        }
        var reads = new List<string>
        {
            "api/pictures/live/snapshot", "api/pictures/live/digest", "api/pictures/live/loggbok/verify", "api/pictures",
            $"api/pictures/live/log?afterSeq={startSeq}&limit=1000", "api/pictures/live/log?district=farsta&limit=1000",
            $"api/pictures/live/log?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"))}&limit=1000",
            "api/public/safety-points", "api/me", "api/config", "api/task-lists", "api/live/stats", "api/pictures/live/permissions",
            "api/public/safety-points/nearest?lon=18.07&lat=59.33&count=20", "api/public/cap", "api/pictures/live/cap",
            // Replay: the picture at a moment, the entries for playback, and the file (refused to partners).
            "api/pictures/live/replay", $"api/pictures/live/replay/snapshot?seq={lastSeq}", $"api/pictures/live/replay/digest?seq={lastSeq}",
            $"api/pictures/live/replay/entries?afterSeq={startSeq}&throughSeq={lastSeq}", "api/pictures/live/loggbok/export",
            // The samlad lägesbild, with everything since the walk began.
            "api/pictures/live/overview", $"api/pictures/live/overview?since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"))}",
            "api/pictures/live/duty/now",
            // The exports for the meeting (a PDF is searched as its extracted text) and the search of beslut and uppdrag.
            "api/pictures/live/exports/overview.pdf", "api/pictures/live/exports/reports.csv", "api/pictures/live/exports/reports.json",
            "api/pictures/live/exports/minutes.pdf", "api/pictures/live/exports/minutes.csv", "api/pictures/live/resolutions/search?limit=200",
        };
        // Every CAP message residents were sent, whole.
        var capMessages = await polis.GetFromJsonAsync<JsonElement[]>("api/pictures/live/cap");
        reads.AddRange(capMessages!.Select(message => message.GetProperty("url").GetString()!.TrimStart('/')));
        reads.AddRange(targets.Select(target => $"api/pictures/live/log?entity={target}&limit=1000"));
        reads.AddRange(targets.Where(t => t.StartsWith("SituationReport/", StringComparison.Ordinal)).Select(t => $"api/pictures/live/exports/reports/{t["SituationReport/".Length..]}.pdf"));
        foreach (var read in reads)
        {
            using var response = await polis.GetAsync(read);
            var text = response.Content.Headers.ContentType?.MediaType == "application/pdf"
                ? string.Join("\n", PdfText.Pages(await response.Content.ReadAsByteArrayAsync()))
                : await response.Content.ReadAsStringAsync();
            shapes.Add(($"GET /{read} ({(int)response.StatusCode})", text));
        }

        // The city sees every note, in its own loggbok and its own live feed.
        var citysLog = await fixture.Central.GetStringAsync($"api/pictures/live/log?afterSeq={startSeq}&limit=1000");
        Assert.All(notes.Values, note => Assert.Contains(note, citysLog));
        await annaHub.WaitForSeqAsync(lastSeq);

        var leaks = (from shape in shapes
                     from note in notes
                     // The note's random part alone, in case a shape carried it cut or re-encoded.
                     where shape.Text.Contains(note.Value[^32..], StringComparison.OrdinalIgnoreCase)
                     select $"{note.Key}'s note in {shape.Where}").ToList();
        foreach (var (where, text) in shapes)
            output.WriteLine($"{where}: {text.Length:N0} characters searched");
        Assert.True(leaks.Count == 0, "A partner received internal notes:\n" + string.Join('\n', leaks));
        // Each shape said something: a partner reads them all (none was refused or empty).
        Assert.All(shapes, shape => Assert.True(shape.Text.Length > 2, $"{shape.Where} was empty"));
        Assert.Contains("\"internal\":true", watching.Received);
    }

    /// <summary>Every command of an exercise's run and inkorg, in an order central (or, to read, Farsta) can take them.</summary>
    private static readonly (string Command, string User, string Method, string Path, string Body)[] ExerciseWalk =
    [
        ("StartExercise", "anna", "POST", "exercise/start", "{}"),
        ("PauseExercise", "anna", "POST", "exercise/pause", "{}"),
        ("ResumeExercise", "anna", "POST", "exercise/resume", "{}"),
        ("ChangeExerciseSpeed", "anna", "PUT", "exercise/speed", """{"speed":3}"""),
        ("SkipInject", "anna", "POST", "exercise/skip", """{"inject":"I-02"}"""),
        ("DelayInject", "anna", "POST", "exercise/delay", """{"inject":"I-03","minutes":15}"""),
        ("SendInject", "anna", "POST", "exercise/send", """{"inject":"I-01"}"""),
        ("PostMessage", "anna", "POST", "messages", """{"id":"motspel-walk","from":"Polisen","to":{"kind":"District","id":"farsta"},"text":"Avspärrning vid Farsta torg."}"""),
        ("ReadMessage", "sara", "POST", "messages/motspel-walk/read", "{}"),
        // The evaluation's texts are exercise control's and the evaluators' alone: EVALTEXT is searched for in a participant's shapes too.
        ("NoteObservation", "utvarderare", "POST", "evaluation/observations", """{"text":"EVALTEXT Sara ringde SOS först","inject":"I-01","objective":"Mål 1"}"""),
        ("RateObjective", "anna", "POST", "evaluation/ratings", """{"objective":"Mål 1","rating":"MajorChallenges","comment":"EVALTEXT rapporten dröjde"}"""),
        ("RecordImprovement", "utvarderare", "POST", "evaluation/improvements", """{"what":"EVALTEXT checklista","owner":"Farsta"}"""),
        ("StopExercise", "anna", "POST", "exercise/stop", "{}"),
    ];

    [Fact]
    public async Task An_internal_note_written_through_every_exercise_command_reaches_a_partner_through_no_shape()
    {
        var picture = $"ex-walk-{Guid.NewGuid():N}"[..16];
        (await fixture.Central.SendJsonAsync("POST", "api/pictures", $$"""{"id":"{{picture}}","name":"Anteckningsövning"}""")).EnsureSuccessStatusCode();
        (await fixture.Central.SendJsonAsync("PUT", $"api/pictures/{picture}/scenario",
            "id;tid;leverans;från;till;text;förväntad åtgärd;mål\nI-01;00:30;meddelande;SOS Alarm;farsta;Brand;;Mål 1\nI-02;01:00;meddelande;Ellevio;farsta;Avbrott;;Mål 1\nI-03;02:00;meddelande;Polisen;farsta;Avspärrning;;Mål 1\n", "text/csv")).EnsureSuccessStatusCode();
        var notes = new Dictionary<string, string>();
        long lastSeq = 0;
        var evaluationTexts = new Dictionary<string, string>();
        foreach (var (command, user, method, path, template) in ExerciseWalk)
        {
            var note = $"INTERNTOVNING{notes.Count:D2}x{Guid.NewGuid():N}";
            var body = template;
            if (body.Contains("EVALTEXT", StringComparison.Ordinal))
            {
                evaluationTexts[command] = $"EVALTEXT{evaluationTexts.Count:D2}x{Guid.NewGuid():N}";
                body = body.Replace("EVALTEXT", evaluationTexts[command], StringComparison.Ordinal);
            }
            notes[command] = note;
            var withNote = System.Text.Json.Nodes.JsonNode.Parse(body)!.AsObject();
            withNote["reason"] = note;
            withNote["internal"] = true;
            using var http = fixture.Server.CreateClient(user);
            using var answer = await http.SendJsonAsync(method, $"api/pictures/{picture}/{path}", withNote.ToJsonString());
            var accepted = await answer.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(answer.IsSuccessStatusCode, $"{command}: {accepted}");
            lastSeq = Math.Max(lastSeq, accepted.GetProperty("seq").GetInt64());
        }

        async Task<List<(string Where, string Text)>> ShapesAsync(string user)
        {
            using var http = fixture.Server.CreateClient(user);
            var shapes = new List<(string Where, string Text)>();
            await using (var fresh = await ObserverSocket.JoinAsync(fixture.Server, user, afterSeq: null, afterEventId: null, picture))
            {
                await fresh.WaitForAsync("\"entities\"");
                shapes.Add(($"{user}: a fresh join's snapshot of the exercise (hub)", fresh.Received));
            }
            await using (var resumed = await ObserverSocket.JoinAsync(fixture.Server, user, 0, null, picture))
            {
                await resumed.WaitForAsync($"{{\"seq\":{lastSeq},");
                shapes.Add(($"{user}: a resume's replayed entries of the exercise (hub)", resumed.Received));
            }
            foreach (var read in new[]
            {
                $"api/pictures/{picture}/snapshot", $"api/pictures/{picture}/log?limit=1000", $"api/pictures/{picture}/log?entity=Exercise/ovning&limit=1000",
                $"api/pictures/{picture}/log?entity=Message/motspel-walk&limit=1000", $"api/pictures/{picture}/log?district=farsta&limit=1000",
                $"api/pictures/{picture}/log?entity=Evaluation/utvardering&limit=1000",
                $"api/pictures/{picture}/replay/entries?afterSeq=0&throughSeq={lastSeq}", $"api/pictures/{picture}/replay/snapshot?seq={lastSeq}",
                $"api/pictures/{picture}/permissions", $"api/pictures/{picture}/exports/minutes.json",
                $"api/pictures/{picture}/exports/after-action.json", $"api/pictures/{picture}/exports/after-action.pdf",
            })
            {
                using var response = await http.GetAsync(read);
                shapes.Add(($"{user}: GET /{read} ({(int)response.StatusCode})", await response.Content.ReadAsStringAsync()));
            }
            return shapes;
        }
        var partners = await ShapesAsync("polis");
        var participants = await ShapesAsync("sara");

        var citysLog = await fixture.Central.GetStringAsync($"api/pictures/{picture}/log?limit=1000");
        Assert.All(notes.Values, note => Assert.Contains(note, citysLog));
        Assert.All(evaluationTexts.Values, text => Assert.Contains(text, citysLog));
        var leaks = (from shape in partners from note in notes.Concat(evaluationTexts) where shape.Text.Contains(note.Value[^32..], StringComparison.OrdinalIgnoreCase)
                     select $"{note.Key}'s note in {shape.Where}")
            .Concat(from shape in participants from text in evaluationTexts where shape.Text.Contains(text.Value[^32..], StringComparison.OrdinalIgnoreCase)
                    select $"{text.Key}'s text in {shape.Where}").ToList();
        Assert.True(leaks.Count == 0, "A partner received internal notes, or a participant the evaluation:\n" + string.Join('\n', leaks));
        Assert.All(partners.Concat(participants), shape => Assert.True(shape.Text.Length > 2, $"{shape.Where} was empty"));
    }

    private async Task<string?> EventIdAtAsync(long seq)
    {
        if (seq == 0)
            return null;
        var log = await fixture.Central.GetFromJsonAsync<JsonElement>($"api/pictures/live/log?afterSeq={seq - 1}&limit=1");
        return log.GetProperty("entries")[0].GetProperty("id").GetString();
    }

    /// <summary>
    /// A partner's live connection spoken by hand over a WebSocket, keeping every byte the
    /// server sends as text: nothing the server puts on the wire escapes the search.
    /// </summary>
    private sealed class ObserverSocket : IAsyncDisposable
    {
        private const char Separator = '\u001e';
        private readonly ClientWebSocket _socket = new();
        private readonly StringBuilder _received = new();
        private readonly CancellationTokenSource _stop = new();
        private Task _reading = Task.CompletedTask;

        public string Received
        {
            get { lock (_received) return _received.ToString(); }
        }

        public static async Task<ObserverSocket> JoinAsync(ServerProcess server, string user, long? afterSeq, string? afterEventId, string picture = "live")
        {
            var observer = new ObserverSocket();
            var url = new UriBuilder(new Uri(server.BaseAddress, "hubs/picture")) { Scheme = "ws", Query = $"access_token={Uri.EscapeDataString(server.SignIn(user))}" };
            await observer._socket.ConnectAsync(url.Uri, CancellationToken.None);
            await observer.SendAsync("""{"protocol":"json","version":1}""");
            observer._reading = observer.ReadAsync();
            var join = JsonSerializer.Serialize(new { type = 1, invocationId = "join", target = "Join", arguments = new object?[] { picture, afterSeq, afterEventId } });
            await observer.SendAsync(join);
            return observer;
        }

        private Task SendAsync(string message) =>
            _socket.SendAsync(Encoding.UTF8.GetBytes(message + Separator), WebSocketMessageType.Text, true, CancellationToken.None);

        private async Task ReadAsync()
        {
            var buffer = new byte[64 * 1024];
            var decoder = Encoding.UTF8.GetDecoder();
            var chars = new char[buffer.Length];
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                    if (result.MessageType == WebSocketMessageType.Close)
                        return;
                    var count = decoder.GetChars(buffer, 0, result.Count, chars, 0);
                    lock (_received)
                        _received.Append(chars, 0, count);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        public async Task WaitForAsync(string text)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (!Received.Contains(text, StringComparison.Ordinal))
            {
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"The partner's connection never received {text}; it has {Received.Length} characters.");
                if (_reading.IsCompleted)
                    throw new InvalidOperationException($"The partner's connection closed before {text} arrived: {Received[^Math.Min(500, Received.Length)..]}");
                await Task.Delay(20);
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            await _reading;
            _socket.Dispose();
        }
    }
}
