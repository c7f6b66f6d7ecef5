using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lagesbild.Testing;

namespace Lagesbild.Access.Tests;

/// <summary>
/// The beslutslogg and uppdrag through the server: a beslut reproduces the picture its decider saw,
/// a step on the ladder records its beslut, a correction points back, and an illegal task step
/// is a 4xx that says why and changes nothing.
/// </summary>
[Collection(AccessServerCollection.Name)]
public sealed class BeslutAndUppdragTests(AccessServer fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_beslut_names_the_picture_its_decider_saw_and_that_picture_is_reproduced_from_the_loggbok()
    {
        var (seen, digestSeen) = await fixture.DigestAsync();
        var id = NewId("b-digest");
        var answer = await Resolution(id, "CentralCrisisManagement", seen).SendAsync(fixture.Central);
        Assert.True(answer.Accepted, $"{answer.Status} {answer.Detail}");
        // The picture moves on after the beslut.
        await fixture.Central.ReportWaterAsync(DemoPoints.In("farsta").Id, 1234);

        await fixture.WaitForSeqAsync(answer.Seq!.Value);
        var state = await fixture.StateAsync("Resolution", id);
        var pictureSeq = state.GetProperty("pictureSeq").GetInt64();
        var then = await fixture.Central.GetFromJsonAsync<JsonElement>($"api/pictures/live/digest?atSeq={pictureSeq}");
        var now = await fixture.DigestAsync();

        output.WriteLine($"decided at picture {seen} (digest {digestSeen[..12]}…); folded from the loggbok at {pictureSeq}: {then.GetProperty("digest").GetString()![..12]}…; the picture now: {now.Seq}");
        Assert.Equal(seen, pictureSeq);
        Assert.Equal(digestSeen, then.GetProperty("digest").GetString());
        Assert.NotEqual(digestSeen, now.Digest);
        // And at the newest number, the fold is the live picture itself.
        Assert.Equal(now.Digest, (await fixture.Central.GetFromJsonAsync<JsonElement>($"api/pictures/live/digest?atSeq={now.Seq}")).GetProperty("digest").GetString());
    }

    [Fact]
    public async Task Raising_the_city_to_extraordinar_handelse_records_the_chairs_beslut_on_the_picture_before_the_step()
    {
        var commands = new ValidCommands(fixture);
        await commands.SetCityLevelAsync("Normal");
        var (before, digestBefore) = await fixture.DigestAsync();
        using var eva = fixture.Server.CreateClient("eva");

        var step = await ValidCommands.CityLevel("ExtraordinaryEvent").SendAsync(eva);
        Assert.True(step.Accepted, $"{step.Status} {step.Detail}");
        await fixture.WaitForSeqAsync(step.Seq!.Value + 1);
        var beslut = await fixture.StateAsync("Resolution", $"niva-{step.Seq}");
        var log = await fixture.Central.GetFromJsonAsync<JsonElement>($"api/pictures/live/log?entity=Resolution/niva-{step.Seq}");
        var digestThen = await fixture.Central.GetFromJsonAsync<JsonElement>($"api/pictures/live/digest?atSeq={beslut.GetProperty("pictureSeq").GetInt64()}");
        await commands.SetCityLevelAsync("Normal");

        output.WriteLine($"step at {step.Seq}: {beslut}");
        Assert.Equal(before + 1, step.Seq);
        Assert.Equal("BoardChair", beslut.GetProperty("mandate").GetString());
        Assert.Equal(before, beslut.GetProperty("pictureSeq").GetInt64());
        Assert.Equal("ExtraordinaryEvent", beslut.GetProperty("escalation").GetProperty("to").GetString());
        Assert.Equal(step.Seq, beslut.GetProperty("escalation").GetProperty("changeSeq").GetInt64());
        Assert.Equal(digestBefore, digestThen.GetProperty("digest").GetString());
        Assert.Equal(step.Seq + 1, log.GetProperty("entries")[0].GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task A_correction_points_to_the_beslut_it_corrects_and_both_stay_readable()
    {
        var (seq, _) = await fixture.DigestAsync();
        var first = NewId("b-forsta");
        Assert.True((await Resolution(first, "CentralCrisisManagement", seq).SendAsync(fixture.Central)).Accepted);
        var correction = NewId("b-rattelse");
        var request = Resolution(correction, "CentralCrisisManagement", seq);
        request.Body["resolutionKind"] = "Correction";
        request.Body["corrects"] = first;
        request.Body["text"] = "Rättelse: bara Farsta.";
        var answer = await request.SendAsync(fixture.Central);
        Assert.True(answer.Accepted, $"{answer.Status} {answer.Detail}");

        var dangling = Resolution(NewId("b-ingenting"), "CentralCrisisManagement", seq);
        dangling.Body["resolutionKind"] = "Revocation";
        dangling.Body["corrects"] = "b-finns-inte";
        var before = await fixture.DigestAsync();
        var refused = await dangling.SendAsync(fixture.Central);
        var again = await Resolution(first, "CentralCrisisManagement", seq).SendAsync(fixture.Central);
        var after = await fixture.DigestAsync();

        await fixture.WaitForSeqAsync(answer.Seq!.Value);
        var firstText = await fixture.Central.GetStringAsync($"api/pictures/live/log?entity=Resolution/{first}");
        var correctionState = await fixture.StateAsync("Resolution", correction);
        output.WriteLine($"dangling correction: {refused.Status} {refused.Detail}; recording {first} again: {again.Status} {again.Detail}");
        Assert.Equal(400, refused.Status);
        Assert.Equal(409, again.Status);
        Assert.Equal(before, after);
        Assert.Equal(first, correctionState.GetProperty("corrects").GetString());
        Assert.Contains("Trygghetspunkterna i Söderort öppnas kl. 18.", firstText);
    }

    [Fact]
    public async Task An_illegal_task_step_is_refused_with_the_reason_and_changes_nothing()
    {
        using var sara = fixture.Server.CreateClient("sara");
        using var omar = fixture.Server.CreateClient("omar");
        var task = NewId("u-olaglig");
        var sent = await new CommandRequest("SendAssignment", task, "POST", "assignments", new JsonObject
        {
            ["title"] = "Kontakta äldreboenden utan reservkraft", ["to"] = new JsonObject { ["kind"] = "District", ["id"] = "farsta" },
            ["due"] = DateTimeOffset.UtcNow.AddHours(3).ToString("O"),
        }, IdInBody: task).SendAsync(fixture.Central);
        Assert.True(sent.Accepted, $"{sent.Status} {sent.Detail}");
        var steps = new (string Who, HttpClient Http, string Step, int Status)[]
        {
            ("sara", sara, "complete", 409),  // done before received
            ("omar", omar, "acknowledge", 403), // addressed to Farsta, not Södermalm
            ("sara", sara, "cancel", 403),     // the receiver does not cancel
            ("anna", fixture.Central, "acknowledge", 403), // nor does the sender acknowledge
        };
        foreach (var (who, http, step, status) in steps)
        {
            var before = await fixture.DigestAsync();
            var answer = await new CommandRequest(step, task, "POST", $"assignments/{task}/{step}", new JsonObject()).SendAsync(http);
            var after = await fixture.DigestAsync();
            output.WriteLine($"{who} {step}: {answer.Status} {answer.Detail}");
            Assert.Equal(status, answer.Status);
            Assert.False(string.IsNullOrWhiteSpace(answer.Detail));
            Assert.Equal(before, after);
        }
        var acknowledged = await new CommandRequest("acknowledge", task, "POST", $"assignments/{task}/acknowledge", new JsonObject()).SendAsync(sara);
        Assert.True(acknowledged.Accepted, $"{acknowledged.Status} {acknowledged.Detail}");
    }

    [Fact]
    public async Task An_uppdrag_to_a_named_person_is_moved_forward_by_her_alone()
    {
        using var sara = fixture.Server.CreateClient("sara");
        using var omar = fixture.Server.CreateClient("omar");
        var task = NewId("u-person");
        var sent = await new CommandRequest("SendAssignment", task, "POST", "assignments", new JsonObject
        {
            ["title"] = "Ring Fortum om återställningen", ["to"] = new JsonObject { ["kind"] = "Person", ["id"] = "Sara Ek" },
            ["due"] = DateTimeOffset.UtcNow.AddHours(3).ToString("O"),
        }, IdInBody: task).SendAsync(fixture.Central);
        Assert.True(sent.Accepted, $"{sent.Status} {sent.Detail}");

        var before = await fixture.DigestAsync();
        var byOmar = await new CommandRequest("acknowledge", task, "POST", $"assignments/{task}/acknowledge", new JsonObject()).SendAsync(omar);
        var byAnna = await new CommandRequest("acknowledge", task, "POST", $"assignments/{task}/acknowledge", new JsonObject()).SendAsync(fixture.Central);
        Assert.Equal(before, await fixture.DigestAsync());
        var bySara = await new CommandRequest("acknowledge", task, "POST", $"assignments/{task}/acknowledge", new JsonObject()).SendAsync(sara);
        await fixture.WaitForSeqAsync(bySara.Seq ?? 0);
        var state = await fixture.StateAsync("Assignment", task);

        output.WriteLine($"omar: {byOmar.Status} {byOmar.Detail}; anna: {byAnna.Status}; sara: {bySara.Status}; now {state}");
        Assert.Equal(403, byOmar.Status);
        Assert.Contains("Sara Ek", byOmar.Detail);
        Assert.Equal(403, byAnna.Status);
        Assert.True(bySara.Accepted, $"{bySara.Status} {bySara.Detail}");
        Assert.Equal("Received", state.GetProperty("status").GetString());
        Assert.Equal("Sara Ek", state.GetProperty("to").GetProperty("id").GetString());
    }

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];

    private static CommandRequest Resolution(string id, string mandate, long pictureSeq) =>
        new("RecordResolution", id, "POST", "resolutions", new JsonObject
        {
            ["title"] = "Öppna trygghetspunkter i Söderort",
            ["text"] = "Trygghetspunkterna i Söderort öppnas kl. 18.",
            ["mandate"] = mandate,
            ["decidedBy"] = "Anna Berg",
            ["basis"] = new JsonObject { ["pictureSeq"] = pictureSeq },
            ["communicatedTo"] = "Farsta, Skarpnäck",
        }, IdInBody: id);
}
