using System.Text.Json.Nodes;
using Lagesbild.Testing;

namespace Lagesbild.Access.Tests;

/// <summary>Whose entity a command is sent to: the user's own, or someone else's (see <see cref="DemoUser"/>).</summary>
public enum Side { Own, Other }

/// <summary>
/// For every command a person can send, one that the rules would accept for the entity as it
/// is now (the next status, the next level, …), so that a refusal can only be about access.
/// </summary>
public sealed class ValidCommands(AccessServer fixture)
{
    private int _counter;

    /// <summary>Every command a person can send (the city's configuration is registered by Lagesbild itself).</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "RegisterSafetyPoint", "UpdateSafetyPointDetails", "ChangeSafetyPointStatus", "SetSafetyPointCapabilities",
        "ReportSafetyPointResources", "ReportSafetyPointVisitors", "ReportSafetyPointCondition", "SetDistrictSituation", "ChangeDistrictLocalLevel",
        "SetDistrictDutyContact", "ReportSectorStatus", "SetSectorLead", "ChangeCrisisBodyActivation", "SetCrisisBodyOnDuty",
        "ScheduleCrisisBodyMeeting", "ChangeCityLevel", "RecordResolution", "SendAssignment", "AcknowledgeAssignment",
        "StartAssignment", "CompleteAssignment", "DeclineAssignment", "CancelAssignment", "PlanDutyRoster", "HandOverDuty",
        "SubmitSituationReport", "CorrectSituationReport", "RequestSituationReport", "ReadReportRequest",
        "RegisterResource", "RequestResource", "CommitResource", "DeclineResourceRequest", "DeliverResource", "ReleaseResource", "ReturnResource",
        "AcknowledgeAlert",
        "WithdrawResourceRequest",
        "AcceptAlert", "ForwardAlert", "DismissAlert",
    ];

    /// <summary>A command of the given kind, valid for the entity as it is now; <paramref name="label"/> keeps registered ids apart.</summary>
    public async Task<CommandRequest> PrepareAsync(string action, DemoUser user, Side side, string label)
    {
        var n = ++_counter;
        var district = side == Side.Own ? user.HomeDistrict : user.AwayDistrict;
        var point = DemoPoints.In(district);
        var sector = side == Side.Own ? user.HomeSector : user.AwaySector;
        var body = side == Side.Own ? user.HomeBody : user.AwayBody;
        var pointPath = $"safety-points/{point.Id}";
        switch (action)
        {
            case "RegisterSafetyPoint":
                var id = $"matris-{user.Id}-{side}-{label}".ToLowerInvariant();
                return new CommandRequest(action, id, "POST", "safety-points", new JsonObject
                {
                    ["district"] = district,
                    ["name"] = $"Matrispunkt {n}",
                    ["address"] = "Testgatan 1",
                    ["position"] = new JsonObject { ["lon"] = point.Lon, ["lat"] = point.Lat },
                    ["tier"] = 2,
                    ["capacity"] = 50,
                    ["capabilities"] = new JsonArray("Information", "Heat"),
                    ["backupPower"] = true,
                    ["example"] = true,
                }, IdInBody: id);
            case "UpdateSafetyPointDetails":
                return new CommandRequest(action, point.Id, "PATCH", pointPath, new JsonObject { ["name"] = $"Matrispunkt {n}" });
            case "ChangeSafetyPointStatus":
                var status = (await fixture.StateAsync("SafetyPoint", point.Id)).GetProperty("status").GetString() switch
                {
                    "Inactive" => "Activating",
                    "Activating" => "Open",
                    "Open" => "Closing",
                    "Limited" => "Open",
                    // Visitors may be inside: a closing point is opened again rather than closed over their heads.
                    "Closing" => "Open",
                    _ => "Activating",
                };
                return new CommandRequest(action, point.Id, "POST", pointPath + "/status", new JsonObject { ["status"] = status, ["referredTo"] = "Farsta stadsdelsförvaltning" });
            case "SetSafetyPointCapabilities":
                return new CommandRequest(action, point.Id, "PUT", pointPath + "/capabilities", new JsonObject
                {
                    ["capabilities"] = new JsonObject { ["Information"] = "Available", ["Heat"] = n % 2 == 0 ? "Limited" : "Available" },
                });
            case "ReportSafetyPointResources":
                return new CommandRequest(action, point.Id, "PUT", pointPath + "/resources", new JsonObject
                {
                    ["backupPower"] = new JsonObject { ["available"] = true, ["fuelHours"] = n % 100 },
                    ["waterLitres"] = n,
                    ["staff"] = 2,
                    ["frgVolunteers"] = 1,
                    ["radios"] = 1,
                });
            case "ReportSafetyPointCondition":
                return new CommandRequest(action, point.Id, "POST", pointPath + "/condition", new JsonObject
                {
                    ["power"] = new JsonObject { ["source"] = "Backup", ["fuelHours"] = n % 100 },
                    ["heat"] = new JsonObject { ["indoorCelsius"] = 15 + n % 10 },
                    ["staffing"] = new JsonObject { ["staff"] = n % 5, ["frgVolunteers"] = 1 },
                });
            case "ReportSafetyPointVisitors":
                var open = (await fixture.StateAsync("SafetyPoint", point.Id)).GetProperty("status").GetString() is "Open" or "Limited" or "Closing";
                return new CommandRequest(action, point.Id, "PUT", pointPath + "/visitors", new JsonObject { ["visitors"] = open ? n % 40 + 1 : 0 });
            case "SetDistrictSituation":
                var situation = Next((await fixture.StateAsync("District", district)).GetProperty("situation").GetString(), "Normal", "Strained", "Serious", "Critical");
                return new CommandRequest(action, district, "PUT", $"districts/{district}/situation", new JsonObject { ["situation"] = situation, ["reason"] = "Matris" });
            case "ChangeDistrictLocalLevel":
                var level = Next((await fixture.StateAsync("District", district)).GetProperty("localLevel").GetString(), "Normal", "LocalIncident", "SeriousLocalIncident");
                return new CommandRequest(action, district, "PUT", $"districts/{district}/local-level", new JsonObject { ["level"] = level, ["reason"] = $"Matris {n}" });
            case "SetDistrictDutyContact":
                return new CommandRequest(action, district, "PUT", $"districts/{district}/duty-contact", new JsonObject
                {
                    ["name"] = $"Jour {n}", ["phone"] = "08-508 000 00", ["function"] = "Lokal TiB",
                });
            case "ReportSectorStatus":
                return new CommandRequest(action, sector, "PUT", $"sectors/{sector}/status", new JsonObject
                {
                    ["status"] = "Disturbed", ["affectedDistricts"] = new JsonArray("farsta"), ["needs"] = $"Reservkraft {n}", ["prognosis"] = "Inom ett dygn",
                });
            case "SetSectorLead":
                return new CommandRequest(action, sector, "PUT", $"sectors/{sector}/lead", new JsonObject { ["leadBody"] = $"Förvaltning {n}" });
            case "ChangeCrisisBodyActivation":
                var activation = Next((await fixture.StateAsync("CrisisBody", body)).GetProperty("activation").GetString(), "Inactive", "Standby", "Activated");
                return new CommandRequest(action, body, "PUT", $"crisis-bodies/{body}/activation", new JsonObject { ["activation"] = activation });
            case "SetCrisisBodyOnDuty":
                return new CommandRequest(action, body, "PUT", $"crisis-bodies/{body}/on-duty", new JsonObject
                {
                    ["people"] = new JsonArray(new JsonObject { ["name"] = $"Person {n}", ["role"] = "Stabschef", ["phone"] = "08-508 000 01" }),
                });
            case "ScheduleCrisisBodyMeeting":
                return new CommandRequest(action, body, "PUT", $"crisis-bodies/{body}/next-meeting", new JsonObject
                {
                    ["at"] = DateTimeOffset.UtcNow.AddDays(1).ToString("O"), ["place"] = $"Stadshuset {n}",
                });
            case "ChangeCityLevel":
                var now = (await fixture.StateAsync("City", "stockholm")).GetProperty("level").GetString();
                if (side == Side.Own)
                {
                    // A step within TiB's mandate; from a higher level, whoever may first takes the city back down.
                    if (now is not ("Normal" or "SocietalDisturbance"))
                        await SetCityLevelAsync(now = "Normal");
                    return CityLevel(now == "Normal" ? "SocietalDisturbance" : "Normal");
                }
                // A step into extraordinär händelse, from normalläge: krisledningsnämndens ordförande's alone.
                await SetCityLevelAsync("Normal");
                return CityLevel("ExtraordinaryEvent");
            case "RecordResolution":
                return await ResolutionAsync(user, side, n);
            case "SendAssignment":
                return SendAssignment(user.Id, Receiver(user, side).To, n);
            case "AcknowledgeAssignment" or "StartAssignment" or "CompleteAssignment" or "DeclineAssignment":
                var (to, receiver) = Receiver(user, side);
                var task = await GiveAsync("anna", to, n);
                if (action != "AcknowledgeAssignment")
                    await StepAsync(receiver, task, "acknowledge");
                return Step(action, task);
            case "CancelAssignment":
                // Own: an uppdrag this person sent (those who may not send get central's, which they did not send either).
                var mayGive = user.Role is not ("observer" or "public" or "evaluator");
                var sender = side == Side.Own && mayGive ? user.Id : user.Id == "anna" ? "sara" : "anna";
                return Step(action, await GiveAsync(sender, new JsonObject { ["kind"] = "District", ["id"] = "farsta" }, n));
            case "SubmitSituationReport":
                return SubmitReport(StreamOf(Receiver(user, side).To), n);
            case "CorrectSituationReport":
                // A report the stream's own writer sent, corrected by this person.
                var (reporter, writer) = Receiver(user, side);
                var stream = StreamOf(reporter);
                var number = await SendReportAsync(writer, stream, n);
                return new CommandRequest(action, stream, "POST", $"reports/{stream}/corrections", new JsonObject
                {
                    ["number"] = number, ["why"] = $"Fel antal hushåll {n}", ["contents"] = ReportContents(n),
                });
            case "RequestSituationReport":
                // Own: the user's own district's local crisis management (a district asks its own units); other: another district.
                return RequestReport(side == Side.Own ? $"body-lokal-{user.HomeDistrict}" : $"district-{user.AwayDistrict}", n);
            case "ReadReportRequest":
                var asked = RequestReport(StreamOf(Receiver(user, side).To), n);
                using (var anna = fixture.Server.CreateClient("anna"))
                {
                    var sent = await asked.SendAsync(anna);
                    Assert.True(sent.Accepted, $"anna could not ask for a report: {sent.Status} {sent.Detail}");
                    await fixture.WaitForSeqAsync(sent.Seq!.Value);
                }
                return new CommandRequest(action, asked.Target, "POST", $"report-requests/{asked.Target}/read", new JsonObject());
            case "AcknowledgeAlert":
                var alert = await AlertToAsync(side == Side.Own ? await NameOfAsync(user) : "Någon Annan");
                return new CommandRequest(action, alert, "POST", $"alerts/{alert}/acknowledge", new JsonObject());
            case "AcceptAlert":
                var toAccept = await CapAlertAsync($"{user.Id}-{side}-{label}-{n}");
                return new CommandRequest(action, toAccept, "POST", $"alerts/{toAccept}/accept", new JsonObject { ["reason"] = $"Bekräftat med SSBF {n}" });
            case "ForwardAlert":
                // Farsta's beredskap has someone on duty, so the forward reaches a person.
                await EnsureRosterAsync("district-farsta");
                var toForward = await CapAlertAsync($"{user.Id}-{side}-{label}-{n}");
                return new CommandRequest(action, toForward, "POST", $"alerts/{toForward}/forward", new JsonObject { ["district"] = "farsta" });
            case "DismissAlert":
                var toDismiss = await CapAlertAsync($"{user.Id}-{side}-{label}-{n}");
                return new CommandRequest(action, toDismiss, "POST", $"alerts/{toDismiss}/dismiss", new JsonObject { ["reason"] = $"Gäller inte staden {n}" });
            case "PlanDutyRoster":
                var planned = Roster(user, side);
                await EnsureRosterAsync(planned);
                return new CommandRequest(action, planned, "PUT", $"duty-rosters/{planned}", Plan($"Jour {n}"));
            case "HandOverDuty":
                var held = Roster(user, side);
                await EnsureRosterAsync(held);
                return new CommandRequest(action, held, "POST", $"duty-rosters/{held}/hand-over", new JsonObject
                {
                    ["to"] = $"Avlösare {n}", ["phone"] = "070-000 00 00",
                });
            case "RegisterResource":
                return RegisterResource($"matris-res-{user.Id}-{n}-{label}".ToLowerInvariant(), n);
            case "RequestResource":
                return RequestResource(point.Id, n);
            case "CommitResource":
                var toCommit = await ResourceRequestAsync(point.Id, n, ResourceSteps.None);
                return new CommandRequest(action, toCommit.Request, "POST", $"resource-requests/{toCommit.Request}/commit", new JsonObject { ["resources"] = new JsonArray(toCommit.Resource) });
            case "DeclineResourceRequest":
                var toDecline = await ResourceRequestAsync(point.Id, n, ResourceSteps.None);
                return new CommandRequest(action, toDecline.Request, "POST", $"resource-requests/{toDecline.Request}/decline", new JsonObject { ["reason"] = "Alla är ute" });
            case "DeliverResource" or "ReleaseResource":
                var committed = await ResourceRequestAsync(point.Id, n, ResourceSteps.Commit);
                return new CommandRequest(action, committed.Request, "POST", $"resource-requests/{committed.Request}/{(action == "DeliverResource" ? "deliver" : "release")}", new JsonObject());
            case "WithdrawResourceRequest":
                // Committed first, so the withdrawal also frees its resource.
                var toWithdraw = await ResourceRequestAsync(point.Id, n, ResourceSteps.Commit);
                return new CommandRequest(action, toWithdraw.Request, "POST", $"resource-requests/{toWithdraw.Request}/withdraw", new JsonObject { ["reason"] = "Elen är tillbaka" });
            case "ReturnResource":
                var released = await ResourceRequestAsync(point.Id, n, ResourceSteps.Release);
                return new CommandRequest(action, released.Request, "POST", $"resource-requests/{released.Request}/return", new JsonObject());
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, null);
        }
    }

    public static CommandRequest RegisterResource(string id, int n) =>
        new("RegisterResource", id, "POST", "resources", new JsonObject
        {
            ["resourceKind"] = "Staff",
            ["name"] = $"Personalgrupp {n}",
            ["depot"] = new JsonObject { ["name"] = "Stadshuset", ["position"] = new JsonObject { ["lon"] = 18.054, ["lat"] = 59.3275 } },
        }, IdInBody: id);

    public static CommandRequest RequestResource(string point, int n, string kind = "Staff")
    {
        var id = $"rb-matris-{n}-{Guid.NewGuid():N}"[..40];
        return new CommandRequest("RequestResource", id, "POST", "resource-requests", new JsonObject
        {
            ["safetyPoint"] = point,
            ["resourceKind"] = kind,
            ["quantity"] = 1,
            ["needBy"] = DateTimeOffset.UtcNow.AddHours(3).ToString("O"),
            ["reason"] = $"Personal behövs till kvällspasset {n}",
        }, IdInBody: id);
    }

    private enum ResourceSteps { None, Commit, Release }

    /// <summary>A begäran for the point asked by central krisledning, with a fresh resource of its own, taken as far as <paramref name="upTo"/>.</summary>
    private async Task<(string Request, string Resource)> ResourceRequestAsync(string point, int n, ResourceSteps upTo)
    {
        using var anna = fixture.Server.CreateClient("anna");
        var resource = RegisterResource($"matris-res-{n}-{Guid.NewGuid():N}"[..30], n);
        var request = RequestResource(point, n);
        var steps = new List<CommandRequest> { resource, request };
        if (upTo >= ResourceSteps.Commit)
            steps.Add(new("CommitResource", request.Target, "POST", $"resource-requests/{request.Target}/commit", new JsonObject { ["resources"] = new JsonArray(resource.Target) }));
        if (upTo >= ResourceSteps.Release)
            steps.Add(new("ReleaseResource", request.Target, "POST", $"resource-requests/{request.Target}/release", new JsonObject()));
        foreach (var step in steps)
        {
            var answer = await step.SendAsync(anna);
            Assert.True(answer.Accepted, $"anna could not {step.Type} {step.Target}: {answer.Status} {answer.Detail}");
            await fixture.WaitForSeqAsync(answer.Seq!.Value);
        }
        return (request.Target, resource.Target);
    }

    /// <summary>The report stream of an uppdrag's receiver: the same desks write lägesrapporter.</summary>
    private static string StreamOf(JsonObject to) => (string)to["kind"]! switch
    {
        "District" => $"district-{to["id"]}",
        "Sector" => $"sector-{to["id"]}",
        _ => $"body-{to["id"]}",
    };

    public static JsonObject ReportContents(int n) => new()
    {
        ["event"] = new JsonObject { ["what"] = $"Strömavbrott {n}", ["where"] = "Hökarängen", ["when"] = "06:40", ["source"] = "Ellevio" },
        ["consequences"] = new JsonObject { ["now"] = "3 000 hushåll utan ström", ["affected"] = "Äldre i hemtjänst" },
        ["actions"] = "Trygghetspunkten öppnad",
        ["forecast"] = "Ström åter i kväll",
    };

    public static CommandRequest SubmitReport(string stream, int n) =>
        new("SubmitSituationReport", stream, "POST", $"reports/{stream}", new JsonObject { ["contents"] = ReportContents(n) });

    /// <summary>Sends a report as <paramref name="writer"/> and answers its number once the picture shows it.</summary>
    private async Task<int> SendReportAsync(string writer, string stream, int n)
    {
        using var http = fixture.Server.CreateClient(writer);
        var answer = await SubmitReport(stream, n).SendAsync(http);
        Assert.True(answer.Accepted, $"{writer} could not send a report for {stream}: {answer.Status} {answer.Detail}");
        await fixture.WaitForSeqAsync(answer.Seq!.Value);
        return (await fixture.StateAsync("SituationReport", stream)).GetProperty("number").GetInt32();
    }

    public static CommandRequest RequestReport(string recipient, int n, DateTimeOffset? deadline = null)
    {
        var id = $"r-matris-{n}-{Guid.NewGuid():N}"[..40];
        return new CommandRequest("RequestSituationReport", id, "POST", "report-requests", new JsonObject
        {
            ["title"] = $"Läget inför mötet {n}",
            ["recipients"] = new JsonArray(recipient),
            ["deadline"] = (deadline ?? DateTimeOffset.UtcNow.AddHours(2)).ToString("O"),
            ["questions"] = new JsonArray("Hur länge räcker dieseln?"),
        }, IdInBody: id);
    }

    /// <summary>The sector whose going down raises the alerts the access tests acknowledge (the only alert rule their server runs).</summary>
    private const string AlertSector = "finansiella-tjanster";

    /// <summary>
    /// A fresh alert to <paramref name="person"/>, raised by the rules as at night: the sector comes back first when it is
    /// down (its open alert is cleared), the TiB's roster puts the person on duty, and the sector goes down.
    /// </summary>
    private async Task<string> AlertToAsync(string person)
    {
        using var anna = fixture.Server.CreateClient("anna");
        async Task SendAsync(CommandRequest request)
        {
            var answer = await request.SendAsync(anna);
            Assert.True(answer.Accepted, $"anna could not {request.Type} {request.Target}: {answer.Status} {answer.Detail}");
            await fixture.WaitForSeqAsync(answer.Seq!.Value);
        }
        CommandRequest Sector(string status) => new("ReportSectorStatus", AlertSector, "PUT", $"sectors/{AlertSector}/status", new JsonObject
        {
            ["status"] = status, ["affectedDistricts"] = status == "Normal" ? new JsonArray() : new JsonArray("farsta"),
        });
        if ((await fixture.StateAsync("Sector", AlertSector)).GetProperty("status").GetString() != "Normal")
        {
            await SendAsync(Sector("Normal"));
            await fixture.OpenAlertAsync($"Sector/{AlertSector}", open: false);
        }
        await SendAsync(new CommandRequest("PlanDutyRoster", "tib", "PUT", "duty-rosters/tib", Plan(person)));
        await SendAsync(Sector("Down"));
        var (id, state) = await fixture.OpenAlertAsync($"Sector/{AlertSector}", open: true);
        Assert.Equal(person, state.GetProperty("recipients")[0].GetProperty("person").GetString());
        return id!;
    }

    /// <summary>A fresh alert from outside, as SOS Alarm posts it (signed CAP 1.2), not yet triaged.</summary>
    private async Task<string> CapAlertAsync(string tag)
    {
        using var outside = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        using var posted = await CapSenders.PostAsync(outside, CapSenders.Message($"SOS-MATRIS-{tag}-{Guid.NewGuid():N}"));
        var answer = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(posted.Content);
        Assert.True(posted.IsSuccessStatusCode, $"SOS Alarm's message was not taken: {answer}");
        await fixture.WaitForSeqAsync(answer.GetProperty("entity").GetProperty("seq").GetInt64());
        return answer.GetProperty("alert").GetString()!;
    }

    /// <summary>The name the person signs in with, which the roster and an alert's recipient name.</summary>
    private async Task<string> NameOfAsync(DemoUser user)
    {
        using var anna = fixture.Server.CreateClient("anna");
        var users = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(anna, "api/dev/users");
        return users.EnumerateArray().Single(u => u.GetProperty("id").GetString() == user.Id).GetProperty("name").GetString()!;
    }

    /// <summary>The beredskapsschema the user keeps ("own": TiB's, their district's or sector's; tib for the rest) or another duty's.</summary>
    private static string Roster(DemoUser user, Side side) => (user.Role, side) switch
    {
        ("district", Side.Own) => $"district-{user.HomeDistrict}",
        ("sector", Side.Own) => $"sector-{user.HomeSector}",
        ("sector", Side.Other) => $"sector-{user.AwaySector}",
        (_, Side.Own) => "tib",
        _ => $"district-{user.AwayDistrict}",
    };

    /// <summary>A plan with someone on duty now and a next shift, so a hand-over always has a shift to hand over.</summary>
    private static JsonObject Plan(string person)
    {
        var now = DateTimeOffset.UtcNow;
        return new JsonObject
        {
            ["shifts"] = new JsonArray(
                new JsonObject { ["person"] = person, ["from"] = now.AddHours(-1).ToString("O"), ["to"] = now.AddHours(12).ToString("O"), ["phone"] = "08-508 000 00" },
                new JsonObject { ["person"] = $"{person} (natt)", ["from"] = now.AddHours(12).ToString("O"), ["to"] = now.AddHours(36).ToString("O") }),
        };
    }

    private readonly HashSet<string> _rosters = [];

    /// <summary>Central krisledning lays out the roster once, so the permissions name it and a hand-over has a shift.</summary>
    private async Task EnsureRosterAsync(string roster)
    {
        if (!_rosters.Add(roster))
            return;
        using var http = fixture.Server.CreateClient("anna");
        var answer = await new CommandRequest("PlanDutyRoster", roster, "PUT", $"duty-rosters/{roster}", Plan("Förste jour")).SendAsync(http);
        Assert.True(answer.Accepted, $"anna could not plan {roster}: {answer.Status} {answer.Detail}");
        await fixture.WaitForSeqAsync(answer.Seq!.Value);
    }

    /// <summary>
    /// An uppdrag's receiver for the matrix: the user's own desk ("own") or someone else's, and the
    /// demo user who answers for that desk (partners and the public have none: Farsta's is used).
    /// </summary>
    private static (JsonObject To, string Receiver) Receiver(DemoUser user, Side side)
    {
        JsonObject To(string kind, string id) => new() { ["kind"] = kind, ["id"] = id };
        if (side == Side.Other)
            return user.Id is "sara" or "polis" or "allmanhet" ? (To("District", "sodermalm"), "omar") : (To("District", "farsta"), "sara");
        return user.Id switch
        {
            "anna" => (To("CrisisBody", "central-krisledning"), "anna"),
            "per" => (To("CrisisBody", "tib"), "per"),
            "eva" => (To("CrisisBody", "krisledningsnamnden"), "eva"),
            "omar" => (To("District", "sodermalm"), "omar"),
            "lena" => (To("Sector", "energiforsorjning"), "lena"),
            _ => (To("District", "farsta"), "sara"),
        };
    }

    private CommandRequest SendAssignment(string user, JsonObject to, int n)
    {
        var id = $"u-matris-{user}-{n}-{Guid.NewGuid():N}"[..40];
        return new CommandRequest("SendAssignment", id, "POST", "assignments", new JsonObject
        {
            ["title"] = $"Kontrollera trygghetspunkterna {n}",
            ["instructions"] = "Ring varje punkt och rapportera reservkraft.",
            ["to"] = to.DeepClone(),
            ["due"] = DateTimeOffset.UtcNow.AddHours(4).ToString("O"),
            ["reportBack"] = "Svara i Lagesbild",
        }, IdInBody: id);
    }

    /// <summary>An uppdrag given by <paramref name="sender"/>, once the picture shows it (the permissions are read from the picture).</summary>
    private async Task<string> GiveAsync(string sender, JsonObject to, int n)
    {
        var request = SendAssignment(sender, to, n);
        using var http = fixture.Server.CreateClient(sender);
        var answer = await request.SendAsync(http);
        Assert.True(answer.Accepted, $"{sender} could not give an uppdrag: {answer.Status} {answer.Detail}");
        await fixture.WaitForSeqAsync(answer.Seq!.Value);
        return request.Target;
    }

    private async Task StepAsync(string user, string task, string step)
    {
        using var http = fixture.Server.CreateClient(user);
        var answer = await new CommandRequest(step, task, "POST", $"assignments/{task}/{step}", new JsonObject()).SendAsync(http);
        Assert.True(answer.Accepted, $"{user} could not {step} {task}: {answer.Status} {answer.Detail}");
        await fixture.WaitForSeqAsync(answer.Seq!.Value);
    }

    private static CommandRequest Step(string action, string task)
    {
        var (path, body) = action switch
        {
            "AcknowledgeAssignment" => ("acknowledge", new JsonObject()),
            "StartAssignment" => ("start", new JsonObject()),
            "CompleteAssignment" => ("complete", new JsonObject { ["reason"] = "Alla punkter kontrollerade" }),
            "DeclineAssignment" => ("decline", new JsonObject { ["reason"] = "Ingen personal i kväll" }),
            "CancelAssignment" => ("cancel", new JsonObject()),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
        };
        return new CommandRequest(action, task, "POST", $"assignments/{task}/{path}", body);
    }

    /// <summary>A beslut on the user's own mandate ("own", a district's for its own district) or on one that is not theirs.</summary>
    private async Task<CommandRequest> ResolutionAsync(DemoUser user, Side side, int n)
    {
        var own = user.Role switch
        {
            "chair" => "BoardChair",
            "tib" => "DutyOfficer",
            "district" => "DistrictDirector",
            _ => "CentralCrisisManagement",
        };
        var mandate = side == Side.Own ? own : user.Role == "central" ? "BoardChair" : user.Role == "district" ? "DistrictDirector" : "CentralCrisisManagement";
        var district = user.Role == "district" ? (side == Side.Own ? user.HomeDistrict : user.AwayDistrict) : null;
        var (seq, _) = await fixture.DigestAsync();
        var id = $"b-matris-{user.Id}-{n}-{Guid.NewGuid():N}"[..40];
        return new CommandRequest("RecordResolution", id, "POST", "resolutions", new JsonObject
        {
            ["title"] = $"Öppna trygghetspunkter {n}",
            ["text"] = "Trygghetspunkterna i Söderort öppnas kl. 18.",
            ["mandate"] = mandate,
            ["decidedBy"] = "Matrisen",
            ["basis"] = new JsonObject { ["pictureSeq"] = seq },
            ["district"] = district,
        }, IdInBody: id);
    }

    public static CommandRequest CityLevel(string level) =>
        new("ChangeCityLevel", "stockholm", "PUT", "city/level", new JsonObject
        {
            ["level"] = level, ["decidedBy"] = "Matrisen", ["reason"] = $"Matris: {level}",
        });

    public async Task SetCityLevelAsync(string level)
    {
        if ((await fixture.StateAsync("City", "stockholm")).GetProperty("level").GetString() == level)
            return;
        var from = (await fixture.StateAsync("City", "stockholm")).GetProperty("level").GetString();
        // Into and out of extraordinär händelse is krisledningsnämndens ordförande's step; every other central's.
        var who = level == "ExtraordinaryEvent" || from == "ExtraordinaryEvent" && level is "Normal" or "SocietalDisturbance" ? "eva" : "anna";
        using var http = fixture.Server.CreateClient(who);
        var answer = await CityLevel(level).SendAsync(http);
        Assert.True(answer.Accepted, $"{who} could not set the city level to {level}: {answer.Status} {answer.Detail}");
    }

    private static string Next(string? current, params string[] cycle) => cycle[(Array.IndexOf(cycle, current) + 1) % cycle.Length];
}

public static class CommandRequests
{
    /// <summary>The kind of thing a command's route changes, as the loggbok and the permissions name it.</summary>
    public static string EntityKind(this CommandRequest request) => request.Path.Split('/')[0] switch
    {
        "safety-points" => "SafetyPoint",
        "districts" => "District",
        "sectors" => "Sector",
        "crisis-bodies" => "CrisisBody",
        "city" => "City",
        "resolutions" => "Resolution",
        "assignments" => "Assignment",
        "reports" => "SituationReport",
        "report-requests" => "ReportRequest",
        "duty-rosters" => "DutyRoster",
        "alerts" => "Alert",
        "resources" => "Resource",
        "resource-requests" => "ResourceRequest",
        var other => throw new ArgumentOutOfRangeException(nameof(request), other, null),
    };

    /// <summary>
    /// What the server tells this person about the command before it is sent
    /// (<c>GET /api/pictures/live/permissions</c>, the page's source for greying out):
    /// null where they may, else the reason why not.
    /// </summary>
    public static async Task<(bool Allowed, string? Reason)> ToldAsync(this CommandRequest request, HttpClient http)
    {
        var table = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(http, "api/pictures/live/permissions");
        var verdict = request.Type switch
        {
            "RegisterSafetyPoint" => table.GetProperty("register").GetProperty((string)request.Body["district"]!).GetInt32(),
            "ChangeCityLevel" => table.GetProperty("cityLevels").GetProperty((string)request.Body["level"]!).GetInt32(),
            "RecordResolution" => table.GetProperty("resolutions").GetProperty(
                request.Body["district"] is { } district ? $"{request.Body["mandate"]}/{district}" : (string)request.Body["mandate"]!).GetInt32(),
            "SendAssignment" => table.GetProperty("sendAssignment").GetInt32(),
            "SubmitSituationReport" => table.GetProperty("reports").GetProperty(request.Target).GetInt32(),
            "RequestSituationReport" => table.GetProperty("requestReports").GetInt32(),
            "RegisterResource" => table.GetProperty("registerResource").GetInt32(),
            "RequestResource" => table.GetProperty("requestResources").GetProperty(DemoPoints.All.Single(p => p.Id == (string)request.Body["safetyPoint"]!).District).GetInt32(),
            _ => table.GetProperty("commandSets")[table.GetProperty("entities").GetProperty($"{request.EntityKind()}/{request.Target}").GetInt32()]
                .GetProperty(request.Type).GetInt32(),
        };
        return verdict < 0 ? (true, null) : (false, table.GetProperty("reasons")[verdict].GetString());
    }
}
