using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.City;

/// <summary>The steps of the city's eskaleringstrappa (2024 programme).</summary>
public enum EscalationLevel
{
    /// <summary>Normalläge.</summary>
    Normal,
    /// <summary>Samhällsstörning.</summary>
    SocietalDisturbance,
    /// <summary>Extraordinär händelse (LEH 2006:544); activates krisledningsnämnden.</summary>
    ExtraordinaryEvent,
    /// <summary>Skärpt beredskap, declared by the government.</summary>
    HeightenedAlert,
    /// <summary>Högsta beredskap, declared by the government (applies automatically in war).</summary>
    HighestAlert,
}

/// <summary>
/// The city as a whole: its level on the escalation ladder and the decision behind it. The
/// reason is kept only when it is not an internal note (<see cref="ReasonInternal"/>); an
/// internal one is in the decision's loggbok entry alone.
/// </summary>
public sealed record CityState(string Name, EscalationLevel Level, string? DecidedBy, DateTimeOffset? DecidedAt, string? Reason, bool ReasonInternal = false);

public abstract record CityCommand : Command
{
    public override EntityKind Kind => EntityKind.City;
}

public sealed record RegisterCity(string? Name) : CityCommand
{
    public override bool Creates => true;
    protected override void Check(Problems problems) => problems.Text("name", Name, 100, required: true);
}

/// <summary>Records a decision to move the city on the escalation ladder: who decided and why (beslutslogg).</summary>
public sealed record ChangeCityLevel(EscalationLevel? Level, string? DecidedBy) : CityCommand
{
    protected override void Check(Problems problems)
    {
        problems.Defined("level", Level);
        problems.Text("decidedBy", DecidedBy, 200, required: true);
        problems.Text("reason", Reason, 2000, required: true);
    }
}

public sealed record CityRegistered(string Name) : Change;
public sealed record CityLevelChanged(EscalationLevel From, EscalationLevel To, string DecidedBy) : Change;

/// <summary>The rules of the city's level.</summary>
public static class CityRules
{
    public const string Id = "stockholm";

    public static Decision<CityState> Decide(EntityRef self, CityState? state, CityCommand command, DecideContext context)
    {
        if (command.Validate() is { } invalid)
            return invalid;
        if (state is null)
        {
            return command is RegisterCity register
                ? Decision<CityState>.Accept(new CityRegistered(register.Name!), new CityState(register.Name!, EscalationLevel.Normal, null, null, null))
                : Refusal.NotFound(self);
        }

        switch (command)
        {
            case RegisterCity:
                return Refusal.Conflict($"{self} finns redan.");
            case ChangeCityLevel { Level: var level } when level == state.Level:
                return Refusal.Conflict($"Staden är redan på nivån {Describe(state.Level)}.");
            case ChangeCityLevel { Level: { } level } change:
                var next = state with
                {
                    Level = level, DecidedBy = change.DecidedBy!.Trim(), DecidedAt = context.Now,
                    Reason = change.PublicReason(), ReasonInternal = change.Internal,
                };
                return Decision<CityState>.Accept(new CityLevelChanged(state.Level, level, next.DecidedBy!), next);
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown city command.");
        }
    }

    public static string Describe(EscalationLevel level) => level switch
    {
        EscalationLevel.Normal => "normalläge",
        EscalationLevel.SocietalDisturbance => "samhällsstörning",
        EscalationLevel.ExtraordinaryEvent => "extraordinär händelse",
        EscalationLevel.HeightenedAlert => "skärpt beredskap",
        EscalationLevel.HighestAlert => "högsta beredskap",
        _ => level.ToString(),
    };
}
