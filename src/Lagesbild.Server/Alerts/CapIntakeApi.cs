using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lagesbild.Domain.Alerts;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Alerts;
using Lagesbild.Grains.Picture;
using Lagesbild.Server.Api;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Alerts;

/// <summary>What the intake answers for a message taken: its alert, and whether this message had been taken before (then nothing changed).</summary>
public sealed record CapReceived(string Alert, bool Again, JsonElement Entity);

/// <summary>
/// Alerts from outside: a configured sender posts a CAP 1.2 message, signed with its secret (HMAC-SHA256 over the
/// timestamp and the body, in <see cref="SignatureHeader"/>), and it becomes an alert to the TiB on duty. An Update
/// changes the alert of the message it refers to, a Cancel closes it. A message already taken is answered again
/// with its alert and changes nothing.
/// </summary>
public static class CapIntakeApi
{
    public const string Path = "/api/pictures/{picture}/alerts/cap";
    public const string SenderHeader = "Lagesbild-Cap-Sender";
    /// <summary><c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body" with the sender's secret&gt;</c>.</summary>
    public const string SignatureHeader = "Lagesbild-Cap-Signature";

    private static readonly string[] XmlTypes = ["application/cap+xml", "application/xml", "text/xml"];

    /// <summary>The signature a sender puts in <see cref="SignatureHeader"/> (also what a sender's tests sign with).</summary>
    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{unixSeconds}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return $"t={unixSeconds},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed))}";
    }

    public static IEndpointRouteBuilder MapCapIntakeApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, ReceiveAsync)
            // Senders are systems, not people: the signature is their sign-in.
            .AllowAnonymous()
            .WithTags("Larm")
            .WithSummary("Ta emot ett CAP 1.2-meddelande från en extern avsändare (SOS Alarm, räddningstjänsten, Krisinformation …): signerat med avsändarens hemlighet")
            .WithDescription($"Huvudena {SenderHeader} (avsändarens id) och {SignatureHeader}: t=<unixtid>,v1=<hex HMAC-SHA256 av \"<t>.<kropp>\">. " +
                "Alert blir ett larm till TiB i tjänst; Update ändrar och Cancel avslutar larmet för meddelandet det hänvisar till. Samma meddelande igen ger samma svar och ändrar inget.")
            .Accepts<string>("application/cap+xml", "application/xml", "text/xml")
            .Produces<CapReceived>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    private static async Task<IResult> ReceiveAsync(
        string picture, HttpContext http, IOptions<CapIntakeOptions> options, CapSchema schema, PictureDirectory pictures,
        CommandBus bus, AlertChains chains, IGrainFactory grains, PictureStore store, TimeProvider clock)
    {
        var settings = options.Value;
        if (!settings.Enabled)
            return Problem(404, "Tas inte emot", "Lagesbild tar inte emot CAP-meddelanden här (Lagesbild:CapIntake:Enabled är av).");
        if (!await pictures.ExistsAsync(picture))
            return Results.Problem(CommandResponses.Problem(PictureDirectory.Missing(picture)));
        if (http.Request.ContentLength > settings.MaxBodyBytes)
            return TooLarge(settings);
        var body = await ReadBodyAsync(http.Request, settings.MaxBodyBytes);
        if (body is null)
            return TooLarge(settings);

        var now = clock.GetUtcNow();
        if (Signer(http.Request, body, settings, now, out var unsigned) is not { } sender)
            return Problem(401, "Inte godkänd avsändare", unsigned!);
        if (http.Request.ContentType is not { } type || !XmlTypes.Any(t => type.StartsWith(t, StringComparison.OrdinalIgnoreCase)))
            return Problem(415, "Fel innehållstyp", "Ett CAP-meddelande skickas som application/cap+xml (eller application/xml).");

        var (message, refused) = IncomingCap.Read(body, schema, now, TimeSpan.FromSeconds(settings.SentAheadToleranceSeconds));
        if (refused is not null)
            return Results.Problem(new ValidationProblemDetails(new Dictionary<string, string[]> { ["cap"] = [.. refused.Errors] })
            {
                Status = 400, Title = "Ogiltigt CAP-meddelande", Detail = refused.Detail,
            });
        var exercise = PictureId.IsExercise(picture);
        if (message!.Status is not ("Actual" or "Exercise") || (message.Status == "Exercise" && !exercise))
        {
            return Problem(422, "Meddelandet tas inte emot här", message.Status == "Exercise"
                ? "Meddelandet är en övning (status Exercise); det tas emot i en övnings lägesbild, inte i den skarpa."
                : $"Meddelanden med status {message.Status} blir inga larm; bara Actual (och Exercise i en övning).");
        }
        var actor = new Actor($"{sender.Name} (CAP)", Roles.System);
        var origin = new CapOrigin(sender.Id!, message.Sender, [message.Identifier], message.MsgType, message.Sent, message.Event,
            message.Urgency, message.Severity, message.AreaDesc, message.Areas);
        var title = Title(message, exercise);
        var detail = Detail(message);
        var severity = CapAlerts.SeverityOf(message.Severity, message.Urgency);

        switch (message.MsgType)
        {
            case "Alert":
            {
                var id = CapAlerts.IdOf(message.Sender, message.Identifier);
                if (await AlertAsync(grains, picture, id) is { } known)
                    return Again(id, known.Record);
                var duty = chains.DutyFor(null);
                if (await chains.WaveAsync(picture, duty, 1) is not { } first)
                    return Problem(409, "Ingen larmkedja", "TiB:s larmkedja är tom; larmet når ingen.");
                var result = await bus.SendAsync(picture, id,
                    new RaiseAlert(title, detail, severity, new AlertCauseRef($"{CapAlerts.Rule}:{message.Sender}/{message.Identifier}", CapAlerts.Rule, $"Alert/{id}", 0),
                        sender.Name, duty, first.To, first.EscalateAfterSeconds, Cap: origin),
                    actor, CommandId(picture, message));
                return Answer(id, result);
            }
            case "Update" or "Cancel":
            {
                (string Id, AlertState State, string Record)? earlier = null;
                foreach (var reference in message.References)
                {
                    var id = CapAlerts.IdOf(reference.Sender, reference.Identifier);
                    if (await AlertAsync(grains, picture, id) is { } found)
                    {
                        earlier = (id, found.State, found.Record);
                        break;
                    }
                }
                // A sender may name only its latest update of the alert, not the first message (CAP 1.2 leaves that to it).
                earlier ??= await AlertTakingAsync(store, picture, message.References);
                var named = message.References.IsEmpty ? "inget meddelande (references saknas)" : string.Join(", ", message.References.Select(r => $"{r.Identifier} från {r.Sender}"));
                if (earlier is not { } alert)
                    return Problem(422, "Okänt tidigare meddelande",
                        $"Meddelandet är en {(message.MsgType == "Update" ? "uppdatering" : "återkallelse")} av {named}, men inget sådant meddelande har tagits emot i lägesbilden '{picture}'. Skicka det ursprungliga meddelandet först.");
                if (alert.State.Cap is not { } cap || cap.Sender != sender.Id)
                    return Problem(403, "Inte behörig", "Bara avsändaren av det ursprungliga meddelandet uppdaterar eller återkallar det.");
                // An update taken before is among the alert's messages; a cancel of a closed alert changes nothing more.
                if (cap.Identifiers.Contains(message.Identifier) || (message.MsgType == "Cancel" && alert.State.ClearedAt is not null))
                    return Again(alert.Id, alert.Record);
                AlertCommand command = message.MsgType == "Update"
                    ? new UpdateAlertFromCap(title, detail, severity, origin)
                    : new ClearAlert();
                return Answer(alert.Id, await bus.SendAsync(picture, alert.Id, command, actor, CommandId(picture, message)));
            }
            default:
                return Problem(422, "Meddelandet tas inte emot här", $"msgType {message.MsgType} blir inget larm; Alert, Update och Cancel tas emot.");
        }
    }

    /// <summary>The configured sender whose signature the request carries, or null with why not (in the sender's words).</summary>
    private static CapSender? Signer(HttpRequest request, byte[] body, CapIntakeOptions settings, DateTimeOffset now, out string? why)
    {
        var id = request.Headers[SenderHeader].ToString();
        var signature = request.Headers[SignatureHeader].ToString();
        why = null;
        if (id.Length == 0 || signature.Length == 0)
        {
            why = $"Meddelandet är inte signerat: huvudena {SenderHeader} och {SignatureHeader} behövs.";
            return null;
        }
        if (settings.Senders.FirstOrDefault(s => s.Id == id) is not { } sender)
        {
            why = $"Avsändaren '{id}' är inte känd av Lagesbild.";
            return null;
        }
        var parts = signature.Split(',', StringSplitOptions.TrimEntries).Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var t) || !long.TryParse(t, out var unix) || !parts.TryGetValue("v1", out var given))
        {
            why = $"{SignatureHeader} ska vara t=<unixtid>,v1=<hex HMAC-SHA256>.";
            return null;
        }
        if (Math.Abs(now.ToUnixTimeSeconds() - unix) > settings.ReplayWindowSeconds)
        {
            why = $"Signaturens tid ligger mer än {settings.ReplayWindowSeconds} sekunder från nu; signera meddelandet på nytt.";
            return null;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(sender.Secret!, unix, body));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes($"t={t},v1={given.ToLowerInvariant()}")))
        {
            why = "Signaturen stämmer inte med meddelandet och avsändarens hemlighet.";
            return null;
        }
        return sender;
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk)) > 0)
        {
            if (buffer.Length + read > limit)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static async Task<(AlertState State, string Record)?> AlertAsync(IGrainFactory grains, string picture, string id)
    {
        if (await grains.GetGrain<IAlertGrain>(EntityKey.Of(picture, id)).Record() is not { } record)
            return null;
        return (StateOf(record), record);
    }

    /// <summary>The alert's state in its stored record.</summary>
    private static AlertState StateOf(string record)
    {
        using var document = JsonDocument.Parse(record);
        return document.RootElement.GetProperty("state").Deserialize<AlertState>(DomainJson.Options)!;
    }

    /// <summary>The picture's alert that has taken one of the referenced messages as an update (the alerts from outside are few; this is read only when no reference is an alert's first message).</summary>
    private static async Task<(string Id, AlertState State, string Record)?> AlertTakingAsync(PictureStore store, string picture, ImmutableArray<CapReference> references)
    {
        if (references.IsEmpty)
            return null;
        foreach (var (id, record) in await store.ReadRecordsAsync(new PictureKeys(picture), EntityKind.Alert))
        {
            var state = StateOf(record);
            if (state.Cap is { } cap && references.Any(r => r.Sender == cap.CapSender && cap.Identifiers.Contains(r.Identifier)))
                return (id, state, record);
        }
        return null;
    }

    private static string Title(IncomingCap message, bool exercise)
    {
        var title = message.Headline ?? message.Event;
        if (title.Length > AlertRules.TitleLimit - 12)
            title = title[..(AlertRules.TitleLimit - 13)] + "…";
        return exercise ? $"ÖVNING – {title}" : title;
    }

    private static string? Detail(IncomingCap message)
    {
        var text = string.Join("\n", new[] { message.Description, message.AreaDesc is { } area ? $"Område: {area}" : null }.Where(t => t is not null));
        return text.Length == 0 ? null : text.Length > AlertRules.DetailLimit ? text[..(AlertRules.DetailLimit - 1)] + "…" : text;
    }

    /// <summary>One command id per message: a retry of the same message (or two nodes) stores it once.</summary>
    private static Guid CommandId(string picture, IncomingCap message) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"{picture}\ncap\n{message.Sender}\n{message.Identifier}")).AsSpan(0, 16));

    private static IResult Answer(string id, CommandResult result)
    {
        if (result.Refusal is { } refusal)
            return Results.Problem(CommandResponses.Problem(refusal));
        using var document = JsonDocument.Parse(result.Record!);
        return TypedResults.Ok(new CapReceived(id, false, document.RootElement.Clone()));
    }

    private static IResult Again(string id, string record)
    {
        using var document = JsonDocument.Parse(record);
        return TypedResults.Ok(new CapReceived(id, true, document.RootElement.Clone()));
    }

    private static IResult TooLarge(CapIntakeOptions settings) =>
        Problem(413, "För stort meddelande", $"Ett CAP-meddelande får vara högst {settings.MaxBodyBytes / 1024} kB.");

    private static IResult Problem(int status, string title, string detail) =>
        Results.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });
}
