using System.Security.Cryptography;
using System.Text;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Exercises;

/// <summary>
/// A message in a desk's inkorg in an exercise: an inspel delivered, or motspel that exercise control
/// posted, from a played outside actor (SOS Alarm, Ellevio, Polisen …) to a district, a sector or a
/// crisis body. The state keeps what the inkorg lists (the text's first line as <see cref="Name"/>);
/// the whole text is in the entry that posted it, read when the message is opened.
/// </summary>
public sealed record MessageState(
    string Name,
    string From,
    Assignee To,
    DateTimeOffset SentAt,
    TimeSpan? ScenarioAt = null,
    string? Inject = null,
    string? District = null,
    DateTimeOffset? ReadAt = null,
    string? ReadBy = null);

public abstract record MessageCommand : Command
{
    public override EntityKind Kind => EntityKind.Message;
}

/// <summary>Posts a message as a played outside actor (<see cref="From"/>) to a desk's inkorg; an inspel's message names the inspel and its scenario time.</summary>
public sealed record PostMessage(string? From, Assignee? To, string? Text, string? Inject = null, TimeSpan? ScenarioAt = null) : MessageCommand
{
    public override bool Creates => true;

    protected override void Check(Problems problems)
    {
        problems.Text("from", From, 100, required: true);
        problems.Text("text", Text, ExerciseMessages.TextLimit, required: true);
        problems.Text("inject", Inject, 40);
        if (To is null)
            problems.Add("to", "Måste anges: ett stadsdelsområde, en sektor eller ett krisledningsorgan.");
        else if (To.Kind is not (AssigneeKind.District or AssigneeKind.Sector or AssigneeKind.CrisisBody))
            problems.Add("to.kind", "Ett meddelande går till District, Sector eller CrisisBody.");
        else if (!EntityRef.IsValidId(To.Id))
            problems.Add("to.id", "Ett id består av 1–60 små bokstäver a–z, siffror och bindestreck.");
    }
}

/// <summary>The recipient has read the message.</summary>
public sealed record ReadMessage : MessageCommand
{
    protected override void Check(Problems problems) { }
}

/// <summary>What the loggbok keeps of a message: its whole text.</summary>
public sealed record MessagePosted(string From, Assignee To, string Text, string? Inject, TimeSpan? ScenarioAt) : Change;

public sealed record MessageRead(string By) : Change;

/// <summary>The rules of an exercise's messages.</summary>
public static class ExerciseMessages
{
    public const int TextLimit = 4000;
    private const int NameLimit = 80;

    public static Decision<MessageState> Decide(EntityRef self, MessageState? state, MessageCommand command, DecideContext context)
    {
        if (command.Validate() is { } invalid)
            return invalid;
        switch (command, state)
        {
            case (PostMessage post, null):
                if (post.To!.Kind == AssigneeKind.District && !context.Areas.DistrictExists(post.To.Id!))
                    return Refusal.Invalid(new Dictionary<string, string[]> { ["to.id"] = [$"Stadsdelsområdet {post.To.Id} finns inte."] });
                var text = post.Text!.Trim();
                return Decision<MessageState>.Accept(
                    new MessagePosted(post.From!.Trim(), post.To, text, post.Inject, post.ScenarioAt),
                    new MessageState(NameOf(text), post.From.Trim(), post.To, context.Now, post.ScenarioAt, post.Inject, DistrictOf(post.To)));
            case (PostMessage, _):
                return Refusal.Conflict($"Meddelandet {self.Id} finns redan.");
            case (_, null):
                return Refusal.NotFound(self);
            case (ReadMessage, { ReadAt: not null }):
                return Refusal.Conflict($"Meddelandet är redan läst ({state.ReadBy}).");
            case (ReadMessage, _):
                var by = context.Actor?.Name ?? Actor.System.Name;
                return Decision<MessageState>.Accept(new MessageRead(by), state with { ReadAt = context.Now, ReadBy = by });
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown message command.");
        }
    }

    /// <summary>The district a message concerns: a district's own, or its local crisis management's.</summary>
    public static string? DistrictOf(Assignee to) => to switch
    {
        { Kind: AssigneeKind.District } => to.Id,
        { Kind: AssigneeKind.CrisisBody, Id: { } id } when id.StartsWith("lokal-", StringComparison.Ordinal) => id["lokal-".Length..],
        _ => null,
    };

    /// <summary>The message an inspel becomes: one id per inspel, so it is delivered once whoever delivers it.</summary>
    public static string IdOf(string inject)
    {
        var readable = new string(inject.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        // Ids that differ only in case or punctuation (I_1, i.1) would meet in the readable part.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(inject)).AsSpan(0, 3));
        var id = $"inspel-{(readable.Length > 40 ? readable[..40] : readable)}-{hash}";
        return id.Replace("--", "-", StringComparison.Ordinal);
    }

    /// <summary>The inkorg lists a message by its first line.</summary>
    private static string NameOf(string text)
    {
        var first = text.Split('\n', 2)[0].Trim();
        return first.Length <= NameLimit ? first : first[..(NameLimit - 1)].TrimEnd() + "…";
    }
}
