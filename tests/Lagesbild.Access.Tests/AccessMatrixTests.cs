using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lagesbild.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace Lagesbild.Access.Tests;

/// <summary>
/// Every role tries every command on its own and on someone else's entity, over HTTP and over
/// the hub. Allowed means accepted; refused means 403 with a reason and nothing changed.
/// </summary>
[Collection(AccessServerCollection.Name)]
public sealed class AccessMatrixTests(AccessServer fixture, ITestOutputHelper output)
{
    /// <summary>
    /// Who may do what, as a reader of Access.cs states it. ✓ allowed, ✗ refused, T = TiB's
    /// district rule: allowed outside office hours (Mon–Fri 08–17, Stockholm), refused within.
    /// "own"/"other" are the user's entities in <see cref="DemoUser"/>; for the city level,
    /// "own" is a step within TiB's mandate (normalläge ↔ samhällsstörning) and "other" the step from
    /// normalläge into extraordinär händelse (krisledningsnämndens ordförande's). A beslut: "own" on the
    /// person's own mandate, "other" on one that is not theirs. An uppdrag's steps: "own" addressed to
    /// (or, to cancel, sent by) the person's desk, "other" someone else's. A beredskapsschema: "own" the
    /// duty the person holds (TiB's, the district's, the sector's; tib for the rest), "other" another's.
    /// An evaluator (utvarderare) evaluates exercises and changes nothing in a picture, but acknowledges an alert that went to her.
    /// An alert from outside (CAP) is triaged by the TiB and central krisledning alone, whoever it went to: "own" and "other" are two fresh ones.
    /// </summary>
    private const string Expected = """
                                        anna  per  sara  omar  lena  polis  allmanhet  eva  utvarderare
        RegisterSafetyPoint       own    ✓     T    ✓     ✓     ✗     ✗      ✗          ✗    ✗
        RegisterSafetyPoint       other  ✓     T    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        UpdateSafetyPointDetails  own    ✓     T    ✓     ✓     ✗     ✗      ✗          ✗    ✗
        UpdateSafetyPointDetails  other  ✓     T    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        ChangeSafetyPointStatus   own    ✓     T    ✓     ✓     ✗     ✗      ✗          ✗    ✗
        ChangeSafetyPointStatus   other  ✓     T    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        SetSafetyPointCapabilities own   ✓     T    ✓     ✓     ✗     ✗      ✗          ✗    ✗
        SetSafetyPointCapabilities other ✓     T    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        ReportSafetyPointResources own   ✓     T    ✓     ✓     ✗     ✗      ✗          ✗    ✗
        ReportSafetyPointResources other ✓     T    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        ReportSafetyPointVisitors own    ✓     T    ✓     ✓     ✗     ✗      ✗          ✗    ✗
        ReportSafetyPointVisitors other  ✓     T    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        ReportSafetyPointCondition own   ✓     T    ✓     ✓     ✗     ✗      ✗          ✗    ✗
        ReportSafetyPointCondition other ✓     T    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        SetDistrictSituation      own    ✓     T    ✓     ✓     ✗     ✗      ✗          ✗    ✗
        SetDistrictSituation      other  ✓     T    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        ChangeDistrictLocalLevel  own    ✓     T    ✓     ✓     ✗     ✗      ✗          ✗    ✗
        ChangeDistrictLocalLevel  other  ✓     T    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        SetDistrictDutyContact    own    ✓     T    ✓     ✓     ✗     ✗      ✗          ✗    ✗
        SetDistrictDutyContact    other  ✓     T    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        ReportSectorStatus        own    ✓     ✗    ✗     ✗     ✓     ✗      ✗          ✗    ✗
        ReportSectorStatus        other  ✓     ✗    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        SetSectorLead             own    ✓     ✗    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        SetSectorLead             other  ✓     ✗    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        ChangeCrisisBodyActivation own   ✓     ✓    ✓     ✓     ✗     ✗      ✗          ✗    ✗
        ChangeCrisisBodyActivation other ✓     ✗    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        SetCrisisBodyOnDuty       own    ✓     ✓    ✓     ✓     ✗     ✗      ✗          ✗    ✗
        SetCrisisBodyOnDuty       other  ✓     ✗    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        ScheduleCrisisBodyMeeting own    ✓     ✓    ✓     ✓     ✗     ✗      ✗          ✗    ✗
        ScheduleCrisisBodyMeeting other  ✓     ✗    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        ChangeCityLevel           own    ✓     ✓    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        ChangeCityLevel           other  ✗     ✗    ✗     ✗     ✗     ✗      ✗          ✓    ✗
        RecordResolution          own    ✓     ✓    ✓     ✓     ✗     ✗      ✗          ✓    ✗
        RecordResolution          other  ✗     ✗    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        SendAssignment            own    ✓     ✓    ✓     ✓     ✓     ✗      ✗          ✓    ✗
        SendAssignment            other  ✓     ✓    ✓     ✓     ✓     ✗      ✗          ✓    ✗
        AcknowledgeAssignment     own    ✓     ✓    ✓     ✓     ✓     ✗      ✗          ✓    ✗
        AcknowledgeAssignment     other  ✗     ✗    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        StartAssignment           own    ✓     ✓    ✓     ✓     ✓     ✗      ✗          ✓    ✗
        StartAssignment           other  ✗     ✗    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        CompleteAssignment        own    ✓     ✓    ✓     ✓     ✓     ✗      ✗          ✓    ✗
        CompleteAssignment        other  ✗     ✗    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        DeclineAssignment         own    ✓     ✓    ✓     ✓     ✓     ✗      ✗          ✓    ✗
        DeclineAssignment         other  ✗     ✗    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        CancelAssignment          own    ✓     ✓    ✓     ✓     ✓     ✗      ✗          ✓    ✗
        CancelAssignment          other  ✗     ✗    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        PlanDutyRoster            own    ✓     ✓    ✓     ✓     ✓     ✗      ✗          ✗    ✗
        PlanDutyRoster            other  ✓     ✗    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        HandOverDuty              own    ✓     ✓    ✓     ✓     ✓     ✗      ✗          ✗    ✗
        HandOverDuty              other  ✓     ✗    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        RegisterResource          own    ✓     ✗    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        RegisterResource          other  ✓     ✗    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        RequestResource           own    ✓     T    ✓     ✓     ✗     ✗      ✗          ✗    ✗
        RequestResource           other  ✓     T    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        CommitResource            own    ✓     ✗    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        CommitResource            other  ✓     ✗    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        DeclineResourceRequest    own    ✓     ✗    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        DeclineResourceRequest    other  ✓     ✗    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        DeliverResource           own    ✓     T    ✓     ✓     ✗     ✗      ✗          ✗    ✗
        DeliverResource           other  ✓     T    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        ReleaseResource           own    ✓     T    ✓     ✓     ✗     ✗      ✗          ✗    ✗
        ReleaseResource           other  ✓     T    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        ReturnResource            own    ✓     ✗    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        ReturnResource            other  ✓     ✗    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        AcknowledgeAlert          own    ✓     ✓    ✓     ✓     ✓     ✗      ✗          ✓    ✓
        AcknowledgeAlert          other  ✗     ✗    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        AcceptAlert               own    ✓     ✓    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        AcceptAlert               other  ✓     ✓    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        ForwardAlert              own    ✓     ✓    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        ForwardAlert              other  ✓     ✓    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        DismissAlert              own    ✓     ✓    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        DismissAlert              other  ✓     ✓    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        WithdrawResourceRequest   own    ✓     T    ✓     ✓     ✗     ✗      ✗          ✗    ✗
        WithdrawResourceRequest   other  ✓     T    ✗     ✗     ✗     ✗      ✗          ✗    ✗
        """;

    private static readonly string[] Actions = Expected.Split('\n').Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]).Distinct().ToArray();

    private static readonly Dictionary<string, string> Short = new()
    {
        ["RegisterSafetyPoint"] = "PtReg", ["UpdateSafetyPointDetails"] = "PtDet", ["ChangeSafetyPointStatus"] = "PtSta",
        ["SetSafetyPointCapabilities"] = "PtCap", ["ReportSafetyPointResources"] = "PtRes", ["ReportSafetyPointVisitors"] = "PtVis", ["ReportSafetyPointCondition"] = "PtCon",
        ["SetDistrictSituation"] = "DiSit", ["ChangeDistrictLocalLevel"] = "DiLvl", ["SetDistrictDutyContact"] = "DiDut",
        ["ReportSectorStatus"] = "SeSta", ["SetSectorLead"] = "SeLed", ["ChangeCrisisBodyActivation"] = "CbAct",
        ["SetCrisisBodyOnDuty"] = "CbDut", ["ScheduleCrisisBodyMeeting"] = "CbMet", ["ChangeCityLevel"] = "CiLvl",
        ["RecordResolution"] = "Besl", ["SendAssignment"] = "UpSnd", ["AcknowledgeAssignment"] = "UpAck", ["StartAssignment"] = "UpSta",
        ["CompleteAssignment"] = "UpDon", ["DeclineAssignment"] = "UpDec", ["CancelAssignment"] = "UpCan",
        ["SubmitSituationReport"] = "RpSnd", ["CorrectSituationReport"] = "RpCor", ["RequestSituationReport"] = "RqAsk", ["ReadReportRequest"] = "RqRd",
        ["PlanDutyRoster"] = "DuPln", ["HandOverDuty"] = "DuHnd",
        ["RegisterResource"] = "RsReg", ["RequestResource"] = "RbAsk", ["CommitResource"] = "RbCom", ["DeclineResourceRequest"] = "RbDec",
        ["DeliverResource"] = "RbDel", ["ReleaseResource"] = "RbRel", ["ReturnResource"] = "RbRet", ["WithdrawResourceRequest"] = "RbWdr",
        ["AcknowledgeAlert"] = "AlAck", ["AcceptAlert"] = "AlAcc", ["ForwardAlert"] = "AlFwd", ["DismissAlert"] = "AlDis",
    };

    private enum Transport { Http, Hub }

    private readonly ValidCommands _commands = new(fixture);

    [Fact]
    public async Task Every_role_may_do_exactly_what_the_rules_say_over_http_and_over_the_hub()
    {
        var expected = ParseExpected();
        var http = DemoUser.All.ToDictionary(u => u.Id, u => fixture.Server.CreateClient(u.Id));
        var hubs = new Dictionary<string, LiveClient>();
        foreach (var user in DemoUser.All.Where(u => u.Role != "public"))
        {
            var client = new LiveClient(fixture.Server.BaseAddress, reconnect: false, user: user.Id);
            await client.ConnectAsync();
            hubs[user.Id] = client;
        }

        var officeAtStart = OfficeHours.IsOpen(DateTimeOffset.UtcNow);
        var cells = new Dictionary<(string User, string Action, Side, Transport), string>();
        var failures = new List<string>();
        var ambiguous = 0;
        try
        {
            foreach (var user in DemoUser.All)
            foreach (var action in Actions)
            foreach (var side in new[] { Side.Own, Side.Other })
            foreach (var transport in new[] { Transport.Http, Transport.Hub })
            {
                var request = await _commands.PrepareAsync(action, user, side, transport.ToString());
                // What the page is told beforehand (it greys out from this), to hold against what happens.
                (bool Allowed, string? Reason)? told = user.Role == "public" ? null : await request.ToldAsync(http[user.Id]);
                var before = await fixture.DigestAsync();
                var openBefore = OfficeHours.IsOpen(DateTimeOffset.UtcNow);
                var answer = transport == Transport.Http
                    ? await request.SendAsync(http[user.Id])
                    : hubs.TryGetValue(user.Id, out var hub) ? await request.SendAsync(hub) : await RefusedAtConnectAsync(user);
                var openAfter = OfficeHours.IsOpen(DateTimeOffset.UtcNow);
                var after = await fixture.DigestAsync();

                var rule = expected[(action, side, user.Id)];
                bool? allowed = rule switch
                {
                    '✓' => true,
                    '✗' => false,
                    // The office opened or closed during this very request: either answer is right.
                    'T' when openBefore != openAfter => null,
                    'T' => !openBefore,
                    _ => throw new InvalidOperationException($"Unknown rule {rule}."),
                };
                if (allowed is null)
                    ambiguous++;

                var where = $"{user.Id} ({user.Role}) {action} {side} {request.Target} over {transport}";
                string cell;
                if (answer.Accepted)
                {
                    cell = "✓";
                    // A step on the escalation ladder is followed by its beslut; a commitment, a delivery, a
                    // return and a withdrawal after commitment by the move of each resource (one here), as its own entry.
                    var entries = action is "ChangeCityLevel" or "ChangeDistrictLocalLevel" or "CommitResource" or "DeliverResource" or "ReturnResource" or "WithdrawResourceRequest" ? 2 : 1;
                    if (after.Seq != before.Seq + entries)
                        failures.Add($"{where}: accepted at seq {answer.Seq}, but the picture went from {before.Seq} to {after.Seq}");
                }
                else if (answer.Status == 403)
                {
                    cell = "✗";
                    if (string.IsNullOrWhiteSpace(answer.Detail))
                        failures.Add($"{where}: refused with 403 but no reason");
                    if (after != before)
                        failures.Add($"{where}: refused, yet the picture changed ({before.Seq} → {after.Seq})");
                }
                else
                {
                    cell = "?";
                    failures.Add($"{where}: neither accepted nor refused for access but {answer.Status}: {answer.Detail}");
                }
                if (told is { } said && said.Allowed != answer.Accepted && openBefore == openAfter)
                    failures.Add($"{where}: the permissions told the page {(said.Allowed ? "allowed" : $"refused ({said.Reason})")}, but the command was {(answer.Accepted ? "accepted" : $"refused ({answer.Status})")}");
                if (told is { Allowed: false, Reason: var reason } && answer.Status == 403 && reason != answer.Detail)
                    failures.Add($"{where}: the page was told \"{reason}\" but the refusal says \"{answer.Detail}\"");
                if (allowed == true && cell != "✓")
                    failures.Add($"{where}: should be allowed, got {answer.Status} {answer.Detail}");
                if (allowed == false && cell != "✗")
                    failures.Add($"{where}: should be refused with 403, got {answer.Status}");
                cells[(user.Id, action, side, transport)] = cell;
            }
        }
        finally
        {
            foreach (var client in hubs.Values)
                await client.DisposeAsync();
            foreach (var client in http.Values)
                client.Dispose();
        }

        var local = OfficeHours.LocalNow;
        output.WriteLine($"TiB on district matters (T): it is {local:dddd HH:mm} in Stockholm, {(officeAtStart ? "within office hours: T = refused" : "outside office hours: T = allowed")}" +
            (ambiguous > 0 ? $" ({ambiguous} cases crossed the hour and accepted either answer)" : ""));
        output.WriteLine(Print(cells));
        Assert.True(failures.Count == 0, $"{failures.Count} cells differ from the rules:\n{string.Join('\n', failures)}");
    }

    [Fact]
    public async Task Observers_see_the_picture_and_the_public_sees_only_the_public_view()
    {
        var rows = new List<string> { $"{"user",-10} {"snapshot",8} {"digest",6} {"log",4} {"list",4} {"hub",4} {"perms",5} {"verify",6} {"exercise",8} {"public",6} {"me",4}" };
        var failures = new List<string>();
        foreach (var user in DemoUser.All)
        {
            using var http = fixture.Server.CreateClient(user.Id);
            var reads = user.Role == "public" ? 403 : 200;
            var snapshot = (int)(await http.GetAsync("api/pictures/live/snapshot")).StatusCode;
            var digest = (int)(await http.GetAsync("api/pictures/live/digest")).StatusCode;
            var log = (int)(await http.GetAsync("api/pictures/live/log?limit=5")).StatusCode;
            var list = (int)(await http.GetAsync("api/pictures")).StatusCode;
            var permissions = (int)(await http.GetAsync("api/pictures/live/permissions")).StatusCode;
            var verify = (int)(await http.GetAsync("api/pictures/live/loggbok/verify")).StatusCode;
            var hub = await HubStatusAsync(user.Id);
            var exercise = user.Role == "central"
                ? 0 // creating one is central's right; not exercised here (it seeds a whole picture)
                : (int)(await http.SendJsonAsync("POST", "api/pictures", """{"id":"ex-matris","name":"Matris"}""")).StatusCode;
            var publicView = (int)(await http.GetAsync("api/public/safety-points")).StatusCode;
            var me = await http.GetFromJsonAsync<JsonElement>("api/me");
            rows.Add($"{user.Id,-10} {snapshot,8} {digest,6} {log,4} {list,4} {hub,4} {permissions,5} {verify,6} {(exercise == 0 ? "-" : exercise.ToString()),8} {publicView,6} {me.GetProperty("role").GetString(),4}");

            foreach (var (what, status) in new[] { ("snapshot", snapshot), ("digest", digest), ("log", log), ("list of pictures", list), ("hub", hub),
                ("permissions", permissions), ("loggbok verification", verify) })
            {
                if (status != reads)
                    failures.Add($"{user.Id}: {what} answered {status}, expected {reads}");
            }
            if (exercise != 0 && exercise != 403)
                failures.Add($"{user.Id}: creating an exercise answered {exercise}, expected 403");
            if (publicView != 200)
                failures.Add($"{user.Id}: the public view answered {publicView}");
            if (me.GetProperty("role").GetString() != user.Role)
                failures.Add($"{user.Id}: /api/me says {me.GetProperty("role")}, expected {user.Role}");
        }
        using var anonymous = fixture.Server.CreateClient("");
        var anonymousView = await anonymous.GetAsync("api/public/safety-points");
        rows.Add($"{"(no token)",-10} {(int)(await anonymous.GetAsync("api/pictures/live/snapshot")).StatusCode,8} {"",6} {"",4} {"",4} {await HubStatusAsync(null),4} {(int)(await anonymous.GetAsync("api/pictures/live/permissions")).StatusCode,5} {"",6} {"",8} {(int)anonymousView.StatusCode,6}");
        if (anonymousView.StatusCode != HttpStatusCode.OK)
            failures.Add($"without a token the public view answered {(int)anonymousView.StatusCode}");
        Assert.Equal(JsonValueKind.Array, (await anonymousView.Content.ReadFromJsonAsync<JsonElement>()).ValueKind);
        Assert.DoesNotContain("\"ex-matris\"", await fixture.Central.GetStringAsync("api/pictures"));

        output.WriteLine(string.Join('\n', rows));
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task An_internal_note_is_seen_by_the_city_and_left_out_for_partners_in_the_loggbok_and_the_live_feed()
    {
        await using var central = new LiveClient(fixture.Server.BaseAddress, reconnect: false, user: "anna");
        await using var partner = new LiveClient(fixture.Server.BaseAddress, reconnect: false, user: "polis");
        var centralDeltas = Record(central);
        var partnerDeltas = Record(partner);
        await central.ConnectAsync();
        await partner.ConnectAsync();

        const string note = "Internt: reservkraften räcker bara till i natt, säg inget utåt ännu.";
        const string open = "Till alla: punkten har vatten och värme.";
        var point = DemoPoints.In("farsta").Id;
        var hidden = await ReportAsync(point, note, isInternal: true);
        var shared = await ReportAsync(point, open, isInternal: false);
        await central.WaitForSeqAsync(shared);
        await partner.WaitForSeqAsync(shared);

        Assert.Equal(note, ReasonAt(centralDeltas, hidden));
        Assert.Null(ReasonAt(partnerDeltas, hidden));
        Assert.Equal(open, ReasonAt(partnerDeltas, shared));

        using var polis = fixture.Server.CreateClient("polis");
        using var sara = fixture.Server.CreateClient("sara");
        var query = $"api/pictures/live/log?entity=SafetyPoint/{point}&afterSeq={hidden - 1}&limit=2";
        Assert.Equal(note, ReasonAt(await fixture.Central.GetFromJsonAsync<JsonElement>(query), hidden));
        Assert.Equal(note, ReasonAt(await sara.GetFromJsonAsync<JsonElement>(query), hidden));
        Assert.Null(ReasonAt(await polis.GetFromJsonAsync<JsonElement>(query), hidden));
        Assert.Equal(open, ReasonAt(await polis.GetFromJsonAsync<JsonElement>(query), shared));
        Assert.DoesNotContain("reservkraften", await polis.GetStringAsync(query));
        output.WriteLine($"seq {hidden} (internal): central sees \"{note}\", polis sees null; seq {shared}: both see \"{open}\"");
    }

    /// <summary>The loggbok as a file holds every internal note, and an import makes a picture: central krisledning's alone (Access.CheckPictureFile).</summary>
    [Fact]
    public async Task Only_central_krisledning_may_export_a_picture_as_a_file_or_import_one()
    {
        var file = await fixture.Central.GetStringAsync("api/pictures/live/loggbok/export");
        var failures = new List<string>();
        foreach (var user in DemoUser.All)
        {
            using var http = fixture.Server.CreateClient(user.Id);
            var picture = $"ex-fil-{user.Id}";
            using var export = await http.GetAsync("api/pictures/live/loggbok/export");
            using var import = await http.SendJsonAsync("POST", $"api/pictures/{picture}/loggbok/import", file, "application/x-ndjson");
            var created = (await fixture.Central.GetAsync($"api/pictures/{picture}/snapshot")).StatusCode == HttpStatusCode.OK;
            var detail = export.IsSuccessStatusCode ? "" : (await export.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
            output.WriteLine($"{user.Id,-10} export {(int)export.StatusCode} import {(int)import.StatusCode} {detail}");
            var expected = user.Role == "central" ? (Export: 200, Import: 201) : (Export: 403, Import: 403);
            if ((int)export.StatusCode != expected.Export || (int)import.StatusCode != expected.Import)
                failures.Add($"{user.Id}: export {(int)export.StatusCode}, import {(int)import.StatusCode}; expected {expected.Export}, {expected.Import}");
            if (created != (user.Role == "central"))
                failures.Add($"{user.Id}: the picture {picture} {(created ? "was" : "was not")} created");
            if (user.Role is not "central" and not "public" && detail?.Contains("central krisledning") != true)
                failures.Add($"{user.Id}: the refusal does not say who may: {detail}");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>Exercise control (Access.CheckExerciseControl): central krisledning describes an exercise and reads and imports its scenario; the participants never see an inspel before it is delivered.</summary>
    [Fact]
    public async Task Only_exercise_control_may_describe_an_exercise_and_read_or_import_its_scenario()
    {
        using var created = await fixture.Central.SendJsonAsync("POST", "api/pictures", """{"id":"ex-ovningsledning","name":"Övningsledning"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        const string scenario = "id;tid;leverans;från;till;text;förväntad åtgärd;mål\nI-01;00:10;meddelande;SOS Alarm;farsta;Strömavbrott;Aktivera;Mål 1\n";
        var failures = new List<string>();
        foreach (var user in DemoUser.All)
        {
            using var http = fixture.Server.CreateClient(user.Id);
            using var describe = await http.SendJsonAsync("PUT", "api/pictures/ex-ovningsledning/about", $$"""{"name":"Beskriven av {{user.Id}}"}""");
            using var import = await http.SendJsonAsync("PUT", "api/pictures/ex-ovningsledning/scenario", scenario, "text/csv");
            using var read = await http.GetAsync("api/pictures/ex-ovningsledning/scenario");
            var detail = read.IsSuccessStatusCode ? "" : (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
            output.WriteLine($"{user.Id,-10} about {(int)describe.StatusCode} import {(int)import.StatusCode} read {(int)read.StatusCode} {detail}");
            var expected = user.Role == "central" ? 200 : 403;
            if ((int)describe.StatusCode != expected || (int)import.StatusCode != expected || (int)read.StatusCode != expected)
                failures.Add($"{user.Id}: about {(int)describe.StatusCode}, import {(int)import.StatusCode}, read {(int)read.StatusCode}; expected {expected}");
            if (user.Role is not "central" and not "public" && detail?.Contains("övningsledningen") != true)
                failures.Add($"{user.Id}: the refusal does not say who may: {detail}");
        }
        var about = await fixture.Central.GetFromJsonAsync<JsonElement>("api/pictures/ex-ovningsledning/about");
        var central = DemoUser.All.Where(u => u.Role == "central").Select(u => $"Beskriven av {u.Id}").ToArray();
        if (!central.Contains(about.GetProperty("name").GetString()))
            failures.Add($"someone who may not changed the exercise's name: {about.GetProperty("name").GetString()}");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>The city's configuration (the city, its districts, sectors and crisis bodies) comes from its files, registered by Lagesbild itself; no person registers it over the hub.</summary>
    [Fact]
    public async Task Configuration_commands_are_refused_from_people_over_the_hub()
    {
        var commands = new (string Target, string Command)[]
        {
            ("atlantis", """{"type":"RegisterDistrict","name":"Atlantis"}"""),
            ("sektor-x", """{"type":"RegisterSector","name":"Sektor X","leadBody":"Ingen"}"""),
            ("lokal-x", """{"type":"RegisterCrisisBody","name":"Lokal X","bodyKind":"LocalCrisisManagement","district":"farsta"}"""),
            ("stockholm2", """{"type":"RegisterCity","name":"Stockholm 2"}"""),
        };
        var failures = new List<string>();
        foreach (var user in new[] { "anna", "per", "sara", "lena" })
        {
            await using var hub = new LiveClient(fixture.Server.BaseAddress, reconnect: false, user: user);
            await hub.ConnectAsync();
            foreach (var (target, command) in commands)
            {
                var before = await fixture.DigestAsync();
                Answer answer;
                try
                {
                    answer = Answer.Of(await hub.SendAsync(target, JsonDocument.Parse(command).RootElement));
                }
                catch (Microsoft.AspNetCore.SignalR.HubException refusal)
                {
                    answer = Answer.Of(refusal);
                }
                var after = await fixture.DigestAsync();
                output.WriteLine($"{user,-5} {target,-10} → {(answer.Accepted ? $"accepted (seq {answer.Seq})" : $"{answer.Status} {answer.Detail}")}");
                if (answer.Accepted || answer.Status is < 400 or >= 500)
                    failures.Add($"{user}: {command} to {target} answered {answer.Status}");
                if (!answer.Accepted && after != before)
                    failures.Add($"{user}: {command} was refused but the picture changed");
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>"TiB may raise the city to samhällsstörning (or back)": not undo a higher level that krisledningsnämnden or the government decided.</summary>
    [Theory]
    [InlineData("Normal")]
    [InlineData("SocietalDisturbance")]
    public async Task TiB_cannot_take_the_city_down_from_a_level_krisledningsnamnden_decided(string level)
    {
        await _commands.SetCityLevelAsync("ExtraordinaryEvent");
        using var per = fixture.Server.CreateClient("per");
        var before = await fixture.DigestAsync();

        var answer = await ValidCommands.CityLevel(level).SendAsync(per);
        var after = await fixture.DigestAsync();

        output.WriteLine($"TiB sets {level} while the city is at ExtraordinaryEvent: {answer.Status} {answer.Detail}");
        await _commands.SetCityLevelAsync("Normal");
        Assert.Equal(403, answer.Status);
        Assert.False(string.IsNullOrWhiteSpace(answer.Detail));
        Assert.Equal(before, after);
    }

    /// <summary>The public cannot open the hub at all: the connection itself is refused.</summary>
    private async Task<Answer> RefusedAtConnectAsync(DemoUser user)
    {
        var status = await HubStatusAsync(user.Id);
        return new Answer(status, status == 403 ? "The hub refused the connection." : null, null);
    }

    /// <summary>200 when the user (or, for null, no one) can connect to the hub and join the live picture; otherwise the status the connection was refused with.</summary>
    private async Task<int> HubStatusAsync(string? user)
    {
        await using var client = user is null
            ? new LiveClient(fixture.Server.BaseAddress, reconnect: false, token: "")
            : new LiveClient(fixture.Server.BaseAddress, reconnect: false, user: user);
        return await client.ConnectStatusAsync();
    }

    private async Task<long> ReportAsync(string point, string reason, bool isInternal)
    {
        var answer = await new CommandRequest("ReportSafetyPointResources", point, "PUT", $"safety-points/{point}/resources", new JsonObject
        {
            ["backupPower"] = new JsonObject { ["available"] = true, ["fuelHours"] = 8 },
            ["waterLitres"] = 500,
            ["staff"] = 3,
            ["frgVolunteers"] = 2,
            ["radios"] = 1,
            ["reason"] = reason,
            ["internal"] = isInternal,
        }).SendAsync(fixture.Central);
        Assert.True(answer.Accepted, $"{answer.Status} {answer.Detail}");
        return answer.Seq!.Value;
    }

    private static List<JsonElement> Record(LiveClient client)
    {
        var deltas = new List<JsonElement>();
        client.Connection.On<JsonElement>("delta", delta =>
        {
            lock (deltas)
                deltas.Add(delta.Clone());
        });
        return deltas;
    }

    private static string? ReasonAt(List<JsonElement> deltas, long seq)
    {
        lock (deltas)
            return Reason(deltas.Single(d => d.GetProperty("seq").GetInt64() == seq));
    }

    private static string? ReasonAt(JsonElement log, long seq) =>
        Reason(log.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("seq").GetInt64() == seq));

    private static string? Reason(JsonElement entry) => entry.GetProperty("reason").ValueKind == JsonValueKind.Null ? null : entry.GetProperty("reason").GetString();

    // ---- the table ----

    private static Dictionary<(string Action, Side Side, string User), char> ParseExpected()
    {
        var lines = Expected.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var users = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(DemoUser.All.Select(u => u.Id), users);
        var table = new Dictionary<(string, Side, string), char>();
        foreach (var line in lines.Skip(1))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var side = parts[1] == "own" ? Side.Own : Side.Other;
            for (var i = 0; i < users.Length; i++)
                table[(parts[0], side, users[i])] = parts[2 + i][0];
        }
        Assert.Equal(Actions.Length * 2 * users.Length, table.Count);
        return table;
    }

    private static string Print(Dictionary<(string User, string Action, Side, Transport), string> cells)
    {
        var text = new StringBuilder();
        text.AppendLine("Access matrix: ✓ accepted, ✗ refused (403, nothing changed), ? anything else.");
        text.AppendLine("Each action: own entity over http, hub | other's entity over http, hub.");
        text.Append($"{"",-10}");
        foreach (var action in Actions)
            text.Append($" {Short[action],-5}");
        text.AppendLine();
        foreach (var user in DemoUser.All)
        {
            text.Append($"{user.Id,-10}");
            foreach (var action in Actions)
            {
                string Cell(Side side, Transport transport) => cells.GetValueOrDefault((user.Id, action, side, transport), " ");
                text.Append($" {Cell(Side.Own, Transport.Http)}{Cell(Side.Own, Transport.Hub)}|{Cell(Side.Other, Transport.Http)}{Cell(Side.Other, Transport.Hub)}");
            }
            text.AppendLine($"   ({user.Role})");
        }
        text.AppendLine();
        text.AppendLine("Legend: " + string.Join(", ", Actions.Select(a => $"{Short[a]} = {a}")));
        text.AppendLine("Own/other: " + string.Join("; ", DemoUser.All.Select(u =>
            $"{u.Id}: {u.HomeDistrict}/{u.AwayDistrict}, {u.HomeSector}/{u.AwaySector}, {u.HomeBody}/{u.AwayBody}")));
        text.Append("City level: own = normalläge ↔ samhällsstörning, other = normalläge → extraordinär händelse.");
        return text.ToString();
    }
}
