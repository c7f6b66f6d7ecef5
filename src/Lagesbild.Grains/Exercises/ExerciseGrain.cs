using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.Exercises;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Domain.Sectors;
using Lagesbild.Grains.Picture;
using Lagesbild.Grains.SafetyPoints;
using Lagesbild.Grains.Sectors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.Exercises;

/// <summary>An exercise as it runs: exercise control's clock and inspel commands, and the delivery of each inspel at its scenario time.</summary>
public interface IExerciseGrain : IEntityGrain<ExerciseCommand>;

/// <summary>
/// The one owner of an exercise's delivery (one grain per exercise picture, <see cref="ExerciseRunRules.Id"/>).
/// Its timer waits for the next inspel due (<see cref="ExerciseRunRules.NextDelivery"/>) and is armed anew after
/// every change of the run (a pause stops it, a new speed moves it). Each inspel is delivered by storing what it
/// carries first (a message to the recipient's inkorg, or the change to the exercise picture as the played actor)
/// and then that it was delivered, each with a command id fixed per inspel: a retry, a restart between the two or a
/// second node can only find them stored, never store them twice. A restart loses the timer:
/// <c>ExerciseRunsAtStart</c> wakes every running exercise, and activation arms it again from the stored state.
/// </summary>
public sealed class ExerciseGrain(PictureStore store, IAreas areas, IOfficeHours officeHours, TimeProvider time, ILogger<ExerciseGrain> logger)
    : EntityGrain<ExerciseRunState, ExerciseCommand>(store, areas, officeHours, time, logger), IExerciseGrain
{
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(5);

    // The base keeps the constructor's clock and logger to itself; these are the same registered ones.
    private TimeProvider Clock => ServiceProvider.GetRequiredService<TimeProvider>();
    private ILogger Log => ServiceProvider.GetRequiredService<ILogger<ExerciseGrain>>();
    private IExerciseScenarioSource Scenarios => ServiceProvider.GetRequiredService<IExerciseScenarioSource>();

    private IGrainTimer? _timer;
    private bool _delivering;

    protected override EntityKind Kind => EntityKind.Exercise;

    protected override Decision<ExerciseRunState> Decide(EntityRef self, ExerciseRunState? state, ExerciseCommand command, DecideContext context) =>
        ExerciseRunRules.Decide(self, state, command, context);

    protected override string? DistrictOf(ExerciseRunState state) => null;

    /// <summary>The live picture has no exercise control: its clock, inspel and motspel exist only in an exercise.</summary>
    public static Refusal? NotAnExercise(string picture) => PictureId.IsExercise(picture)
        ? null
        : Refusal.Conflict("Den levande lägesbilden är ingen övning; övningens klocka, inspel och motspel finns bara i en övning (ex-…).");

    protected override async Task<Refusal?> CheckReferencesAsync(ExerciseCommand command)
    {
        if (NotAnExercise(Picture) is { } live)
            return live;
        if (command is InjectCommand { Inject: { } id } && (await Scenarios.InjectsAsync(Picture)).All(i => i.Id != id.Trim()))
            return new Refusal(RefusalKind.NotFound, $"Inspelet {id.Trim()} finns inte i övningens scenario.");
        return null;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        await ArmAsync();
    }

    protected override Task AfterAppendAsync(ExerciseCommand command, Accepted<ExerciseRunState> accepted, Actor actor, long seq) =>
        _delivering ? Task.CompletedTask : ArmAsync();

    private async Task ArmAsync(TimeSpan? retry = null)
    {
        _timer?.Dispose();
        _timer = null;
        if (CurrentState is not { } run || !PictureId.IsExercise(Picture))
            return;
        var now = Clock.GetUtcNow();
        var next = retry is { } after ? now + after : ExerciseRunRules.NextDelivery(run, [.. await Scenarios.InjectsAsync(Picture)], now);
        if (next is not { } at)
            return;
        _timer = this.RegisterGrainTimer(DeliverAsync, new GrainTimerCreationOptions
        {
            DueTime = at > now ? at - now : TimeSpan.Zero,
            Period = Timeout.InfiniteTimeSpan,
            KeepAlive = true,
        });
    }

    private async Task DeliverAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        _timer = null;
        _delivering = true;
        try
        {
            var injects = await Scenarios.InjectsAsync(Picture);
            foreach (var inject in ExerciseRunRules.Due(CurrentState!, injects, Clock.GetUtcNow()))
            {
                var (message, problem) = await CarryAsync(inject);
                var recorded = await Handle(new RecordInjectDelivered(inject.Id, message, problem), Actor.System, CommandId(inject, "delivered"));
                if (recorded.Refusal is { } refused)
                    Log.LogWarning("Inspel {Inject} in {Picture}: its delivery was not recorded: {Reason}", inject.Id, Picture, refused.Reason);
            }
        }
        catch (Exception error)
        {
            // The store is away or a node is handing on: what was stored is found by its command id next time.
            Log.LogWarning(error, "Could not deliver the inspel due in {Picture}; trying again", Picture);
            _delivering = false;
            await ArmAsync(RetryAfterFailure);
            return;
        }
        _delivering = false;
        await ArmAsync();
    }

    /// <summary>Stores what an inspel carries, as the played outside actor: the message's id, or why the picture refused the change.</summary>
    private async Task<(string? Message, string? Problem)> CarryAsync(Inject inject)
    {
        var actor = new Actor(inject.From, Roles.System);
        var id = CommandId(inject, "carry");
        CommandResult result;
        string? message = null;
        switch (inject.Delivery)
        {
            case InjectDelivery.Message:
                message = ExerciseMessages.IdOf(inject.Id);
                var to = new Assignee(inject.ToKind switch
                {
                    InjectTargetKind.District => AssigneeKind.District,
                    InjectTargetKind.Sector => AssigneeKind.Sector,
                    _ => AssigneeKind.CrisisBody,
                }, inject.To);
                result = await GrainFactory.GetGrain<IMessageGrain>(EntityKey.Of(Picture, message))
                    .Handle(new PostMessage(inject.From, to, inject.Text, inject.Id, inject.At), actor, id);
                break;
            case InjectDelivery.SectorDown:
                var sector = GrainFactory.GetGrain<ISectorGrain>(EntityKey.Of(Picture, inject.To));
                result = await sector.Handle(new ReportSectorStatus(SectorStatus.Down, await AffectedByAsync(sector), null, null) { Reason = inject.Text }, actor, id);
                break;
            case InjectDelivery.PointLosesPower:
                result = await GrainFactory.GetGrain<ISafetyPointGrain>(EntityKey.Of(Picture, inject.To))
                    .Handle(new ReportSafetyPointCondition(Power: new PowerStatus(PowerSource.None)) { Reason = inject.Text }, actor, id);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(inject), inject.Delivery, "Unknown delivery.");
        }
        return result.Refusal is { } refused ? (null, refused.Reason) : (message, null);
    }

    /// <summary>
    /// The districts a sector going down affects: those it already names, else (the MSEL names none) every
    /// district of the exercise, as a sector down is reported with the districts it touches.
    /// </summary>
    private async Task<ImmutableArray<string>> AffectedByAsync(ISectorGrain sector)
    {
        if (await sector.Record() is { } record)
        {
            using var document = JsonDocument.Parse(record);
            var named = document.RootElement.GetProperty("state").Deserialize<SectorState>(DomainJson.Options)!.AffectedDistricts;
            if (!named.IsDefaultOrEmpty)
                return named;
        }
        var districts = await ServiceProvider.GetRequiredService<PictureStore>().ReadRecordsAsync(new PictureKeys(Picture), EntityKind.District);
        return [.. districts.Select(d => d.Id).Order(StringComparer.Ordinal)];
    }

    /// <summary>One command id per inspel and step, the same on every node and after every restart.</summary>
    private Guid CommandId(Inject inject, string step) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"{Picture}\ninject\n{inject.Id}\n{step}")).AsSpan(0, 16));

    /// <summary>The run's state as stored, for the wake at start.</summary>
    public static ExerciseRunState? StateOf(string record)
    {
        using var document = JsonDocument.Parse(record);
        return document.RootElement.GetProperty("state").Deserialize<ExerciseRunState>(DomainJson.Options);
    }
}
