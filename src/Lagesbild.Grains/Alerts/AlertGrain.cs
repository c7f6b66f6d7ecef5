using System.Security.Cryptography;
using System.Text;
using Lagesbild.Domain.Alerts;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Picture;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.Alerts;

/// <summary>One alert: raised by a rule, acknowledged by its recipient, escalated wave by wave while nobody does, cleared with its cause.</summary>
public interface IAlertGrain : IEntityGrain<AlertCommand>;

public sealed class AlertGrain(
    PictureStore store, IAreas areas, IOfficeHours officeHours, TimeProvider time, AlertChains chains, ILogger<AlertGrain> logger)
    : EntityGrain<AlertState, AlertCommand>(store, areas, officeHours, time, logger), IAlertGrain
{
    /// <summary>Who sends the next wave, as the loggbok names it.</summary>
    public static readonly Actor Escalation = new("Lagesbild (larmkedjan)", Roles.System);

    // The base keeps the constructor's clock to itself; this is the same registered one.
    private TimeProvider Clock => ServiceProvider.GetRequiredService<TimeProvider>();

    private IGrainTimer? _nextWave;

    // A forward's desk and its person on duty, read just before the rules decide (BeforeDecideAsync).
    private ForwardDesk? _desk;

    protected override EntityKind Kind => EntityKind.Alert;

    protected override Decision<AlertState> Decide(EntityRef self, AlertState? state, AlertCommand command, DecideContext context) =>
        AlertRules.Decide(self, state, command, context, _desk);

    protected override async Task BeforeDecideAsync(AlertCommand command) =>
        _desk = command is ForwardAlert forward ? await chains.DeskAsync(Picture, forward) : null;

    protected override string? DistrictOf(AlertState state) => state.District;

    /// <summary>One command id per wave: a wave sent just before a node died is recognised and never sent twice.</summary>
    public static Guid WaveId(string key, int wave) => new(SHA256.HashData(Encoding.UTF8.GetBytes($"{key}\nwave {wave}")).AsSpan(0, 16));

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        await Record();
        Arm();
    }

    protected override async Task AfterAppendAsync(AlertCommand command, Accepted<AlertState> accepted, Actor actor, long seq)
    {
        Arm();
        if (command is RaiseAlert or EscalateAlert or ForwardAlert && ServiceProvider.GetService<Outbox.IAlertDeliveries>() is { } deliveries)
        {
            try
            {
                await deliveries.EnqueueAsync(Picture, EntityKey.Parse(this.GetPrimaryKeyString()).Id, accepted.State);
            }
            catch (Exception error)
            {
                // The wave is stored; the outbox's sweep writes its items from the record in a few seconds.
                logger.LogWarning(error, "Could not write the outbox items of {Alert} in {Picture}; the sweep will", this.GetPrimaryKeyString(), Picture);
            }
        }
    }

    /// <summary>
    /// The next wave waits in this activation's timer (kept alive until then). A restart loses the timer:
    /// <c>AlertEscalationsAtStart</c> wakes the grain, and activation arms it again from the stored deadline,
    /// so a wave overdue by then goes at once.
    /// </summary>
    private void Arm()
    {
        _nextWave?.Dispose();
        _nextWave = null;
        if (CurrentState is not { } state || !AlertRules.AwaitsEscalation(state))
            return;
        var wait = state.EscalatesAt!.Value - Clock.GetUtcNow();
        _nextWave = this.RegisterGrainTimer(EscalateAsync, new GrainTimerCreationOptions
        {
            DueTime = wait < TimeSpan.Zero ? TimeSpan.Zero : wait,
            Period = Timeout.InfiniteTimeSpan,
            KeepAlive = true,
        });
    }

    private async Task EscalateAsync(CancellationToken cancellationToken)
    {
        if (CurrentState is not { } state || !AlertRules.AwaitsEscalation(state))
            return;
        if (!AlertRules.EscalationDue(state, Clock.GetUtcNow()))
        {
            // The timer's clock ran a moment ahead of ours: wait for the rest.
            Arm();
            return;
        }
        var wave = state.Wave + 1;
        try
        {
            if (await chains.WaveAsync(Picture, state.Duty, wave) is not { } next)
                return;
            var result = await Handle(new EscalateAlert(wave, next.To, next.EscalateAfterSeconds), Escalation, WaveId(this.GetPrimaryKeyString(), wave));
            if (result.Refusal is { Kind: not RefusalKind.Conflict } refusal)
                logger.LogWarning("Wave {Wave} of {Alert} in {Picture} was refused: {Reason}", wave, this.GetPrimaryKeyString(), Picture, refusal.Reason);
        }
        catch (Exception error) when (StoreUnavailableException.IsStoreFailure(error) || error is StoreUnavailableException)
        {
            // The store away for a moment: the same wave (same command id) again in a second.
            logger.LogWarning(error, "Wave {Wave} of {Alert} in {Picture} could not be stored; trying again", wave, this.GetPrimaryKeyString(), Picture);
            _nextWave?.Dispose();
            _nextWave = this.RegisterGrainTimer(EscalateAsync, new GrainTimerCreationOptions { DueTime = TimeSpan.FromSeconds(1), Period = Timeout.InfiniteTimeSpan, KeepAlive = true });
        }
    }
}
