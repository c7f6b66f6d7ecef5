using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Picture;
using Lagesbild.Server.Access;
using Lagesbild.Server.Api;
using Lagesbild.Server.Live;

namespace Lagesbild.Server.Replay;

/// <summary>
/// A picture as it was: its span, the whole picture at any sequence number or time, its digest
/// there, and the entries between two moments for playback. Read-only: a replay has no address
/// that takes a command; commands go to the picture itself, as now.
/// </summary>
public static class ReplayApi
{
    /// <summary>The most entries one playback request returns.</summary>
    public const int MaxEntries = 1000;

    public static IEndpointRouteBuilder MapReplayApi(this IEndpointRouteBuilder app)
    {
        var replay = app.MapGroup("/api/pictures/{picture}/replay").WithTags("Lägesbild").RequireAuthorization(AccessExtensions.OperatorsPicture);

        replay.MapGet("", GetSpanAsync)
            .Produces<ReplaySpan>()
            .WithSummary("Uppspelning: vilka sekvensnummer och tider lägesbilden spänner över");
        replay.MapGet("/snapshot", GetSnapshotAsync)
            .WritesSchema("Snapshot")
            .WithSummary("Uppspelning: hela lägesbilden som den var vid ett sekvensnummer (seq) eller en tid (at)");
        replay.MapGet("/digest", GetDigestAsync)
            .Produces<PictureDigest>()
            .WithSummary("Uppspelning: lägesbildens fingeravtryck vid ett sekvensnummer (seq) eller en tid (at), samma som det levande var då");
        replay.MapGet("/entries", GetEntriesAsync)
            .WritesSchema("LogPage")
            .WithSummary($"Uppspelning: loggbokens poster efter afterSeq till och med throughSeq (högst {MaxEntries})");
        // A change sent to a replay is told where changes go, rather than a bare 404.
        foreach (var pattern in new[] { "", "/{**rest}" })
            replay.MapMethods(pattern, ["POST", "PUT", "PATCH", "DELETE"], RefuseChange).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> GetSpanAsync(string picture, PictureStore store, PictureDirectory pictures)
    {
        if (!await pictures.ExistsAsync(picture))
            return Results.Problem(CommandResponses.Problem(PictureDirectory.Missing(picture)));
        var keys = new PictureKeys(picture);
        var last = await store.CurrentSeqAsync(keys);
        var first = last == 0 ? null : await store.ReadEntryAsync(keys, 1);
        var latest = last == 0 ? null : await store.ReadEntryAsync(keys, last);
        return TypedResults.Ok(new ReplaySpan(picture, last == 0 ? 0 : 1, last,
            first is null ? null : LiveEntry.Parse(first).At, latest is null ? null : LiveEntry.Parse(latest).At));
    }

    private static async Task<IResult> GetSnapshotAsync(string picture, long? seq, DateTimeOffset? at, PictureStore store, ReplayStore replays, PictureReplay replay, PictureDirectory pictures)
    {
        var (target, problem) = await TargetAsync(picture, seq, at, store, replays, pictures);
        if (problem is not null)
            return problem;
        var folded = await replay.AtAsync(new PictureKeys(picture), target);
        return Results.Bytes(folded.SnapshotJson(picture), "application/json");
    }

    private static async Task<IResult> GetDigestAsync(string picture, long? seq, DateTimeOffset? at, PictureStore store, ReplayStore replays, PictureReplay replay, PictureDirectory pictures)
    {
        var (target, problem) = await TargetAsync(picture, seq, at, store, replays, pictures);
        if (problem is not null)
            return problem;
        var folded = await replay.AtAsync(new PictureKeys(picture), target);
        return TypedResults.Ok(new PictureDigest(folded.Seq, folded.Digest()));
    }

    private static async Task<IResult> GetEntriesAsync(string picture, long? afterSeq, long? throughSeq, PictureStore store, PictureDirectory pictures, HttpContext http, Actors actors)
    {
        if (!await pictures.ExistsAsync(picture))
            return Results.Problem(CommandResponses.Problem(PictureDirectory.Missing(picture)));
        var problems = new Problems();
        if (afterSeq is null or < 0)
            problems.Add("afterSeq", "Ange ett sekvensnummer, 0 eller större.");
        if (throughSeq is null || throughSeq <= afterSeq)
            problems.Add("throughSeq", "Ange ett sekvensnummer större än afterSeq.");
        else if (throughSeq - afterSeq > MaxEntries)
            problems.Add("throughSeq", $"Högst {MaxEntries} poster åt gången (throughSeq − afterSeq).");
        if (problems.ToRefusal() is { } refusal)
            return Results.Problem(CommandResponses.Problem(refusal));

        var keys = new PictureKeys(picture);
        var through = Math.Min(throughSeq!.Value, await store.CurrentSeqAsync(keys));
        var entries = await store.ReadEntriesAsync(keys, afterSeq!.Value, through);
        // Partners do not see notes the city marked internal, nor participants an evaluation, in a replay as anywhere.
        var readership = Redaction.ReadershipOf(actors.Of(http.User)!.Role);
        entries = entries.Select(entry => Redaction.For(readership, entry)).ToArray();
        return Results.Text($"{{\"entries\":[{string.Join(',', entries)}]}}", "application/json");
    }

    private static IResult RefuseChange(string picture) => Results.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
    {
        Status = StatusCodes.Status405MethodNotAllowed,
        Title = "En uppspelning kan inte ändras",
        Detail = $"Uppspelningen visar lägesbilden '{picture}' som den var; den tar inga ändringar. En ändring skickas till lägesbilden själv (/api/pictures/{picture}/…).",
    });

    /// <summary>The sequence number asked for, by number or by time, or the refusal that says what is wrong.</summary>
    private static async Task<(long Seq, IResult? Problem)> TargetAsync(
        string picture, long? seq, DateTimeOffset? at, PictureStore store, ReplayStore replays, PictureDirectory pictures)
    {
        if (!await pictures.ExistsAsync(picture))
            return (0, Results.Problem(CommandResponses.Problem(PictureDirectory.Missing(picture))));
        var keys = new PictureKeys(picture);
        var last = await store.CurrentSeqAsync(keys);
        var problems = new Problems();
        if (seq is null && at is null)
            problems.Add("seq", "Ange vilket ögonblick: seq (ett sekvensnummer) eller at (en tid).");
        else if (seq is not null && at is not null)
            problems.Add("seq", "Ange antingen seq eller at, inte båda.");
        else if (seq < 0)
            problems.Add("seq", "Får inte vara negativt.");
        else if (seq > last)
            problems.Add("seq", $"Lägesbilden har bara kommit till sekvensnummer {last}.");
        if (problems.ToRefusal() is { } refusal)
            return (0, Results.Problem(CommandResponses.Problem(refusal)));
        return (seq ?? await replays.SeqAtAsync(keys, at!.Value), null);
    }
}

/// <summary>What a replay can show: sequence numbers <paramref name="FirstSeq"/>–<paramref name="LastSeq"/>, accepted <paramref name="FirstAt"/>–<paramref name="LastAt"/> (null in an empty picture).</summary>
public sealed record ReplaySpan(string Picture, long FirstSeq, long LastSeq, DateTimeOffset? FirstAt, DateTimeOffset? LastAt);
