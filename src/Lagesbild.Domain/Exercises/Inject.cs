namespace Lagesbild.Domain.Exercises;

/// <summary>How an inspel reaches the exercise: a message to a recipient, or a change to the exercise picture.</summary>
public enum InjectDelivery
{
    /// <summary>Meddelande: a message to a district, a sector or a crisis body.</summary>
    Message,
    /// <summary>Sektor utslagen: a sector reported down, as the played actor.</summary>
    SectorDown,
    /// <summary>Punkt utan el: a trygghetspunkt loses its power, as the played actor.</summary>
    PointLosesPower,
}

/// <summary>Who or what an inspel is addressed to, as it exists in the exercise picture.</summary>
public enum InjectTargetKind
{
    District,
    Sector,
    CrisisBody,
    SafetyPoint,
}

/// <summary>
/// One inspel of a scenario (one row of the MSEL): when in scenario time, how it is delivered,
/// from which played outside actor (motspel), to whom, its text, the action exercise control
/// expects and the exercise objective it tests.
/// </summary>
public sealed record Inject(
    string Id,
    TimeSpan At,
    InjectDelivery Delivery,
    string From,
    InjectTargetKind ToKind,
    string To,
    string Text,
    string? ExpectedAction,
    string? Objective);

/// <summary>What an inspel may be addressed to in one exercise picture: the ids that exist there now.</summary>
public sealed record ScenarioTargets(
    IReadOnlySet<string> Districts,
    IReadOnlySet<string> Sectors,
    IReadOnlySet<string> CrisisBodies,
    IReadOnlySet<string> SafetyPoints)
{
    /// <summary>The kind of thing a delivery may go to and, for a message, which kind the id names; null when none.</summary>
    public InjectTargetKind? Resolve(InjectDelivery delivery, string id) => delivery switch
    {
        InjectDelivery.Message when Districts.Contains(id) => InjectTargetKind.District,
        InjectDelivery.Message when Sectors.Contains(id) => InjectTargetKind.Sector,
        InjectDelivery.Message when CrisisBodies.Contains(id) => InjectTargetKind.CrisisBody,
        InjectDelivery.SectorDown when Sectors.Contains(id) => InjectTargetKind.Sector,
        InjectDelivery.PointLosesPower when SafetyPoints.Contains(id) => InjectTargetKind.SafetyPoint,
        _ => null,
    };
}
