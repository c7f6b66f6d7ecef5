using System.Text.Json;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Resolutions;
using Lagesbild.Grains.Picture;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.Resolutions;

/// <summary>
/// An entity with a place on the escalation ladder (the city, a district), whose every step is a beslut.
/// The step is stored first and its beslut second, in two appends. When the second fails, the step still
/// stands: it is in the loggbok and on every map, so the caller is told it was made, and Lagesbild itself
/// completes the beslut: a timer in this grain tries again with a growing wait, every activation looks for
/// a step without its beslut, a node that starts wakes the city and the districts
/// (<c>CityStepsAtStart</c>, <c>DistrictStepsAtStart</c>), and a retry of the step's command completes it too. The beslut's command
/// id follows from its step, so however many of these meet, it is recorded once.
/// </summary>
public abstract class LadderGrain<TState, TCommand>(PictureStore store, IAreas areas, IOfficeHours officeHours, TimeProvider clock, ILogger logger)
    : EntityGrain<TState, TCommand>(store, areas, officeHours, clock, logger)
    where TState : class
    where TCommand : Command
{
    private CompletionRetry? _completion;

    private CompletionRetry Completion => _completion ??= new CompletionRetry(this, CompleteAsync, Logger, $"the beslut of {this.GetPrimaryKeyString()}");

    /// <summary>The beslut a stored change calls for, or null when the change is no step on the ladder.</summary>
    protected abstract RecordEscalationResolution? ResolutionOf(Accepted<TState> accepted, Actor actor, long seq);

    /// <summary>The stored entry as the change it holds, when that change is a step on the ladder.</summary>
    protected abstract Accepted<TState>? StepOf(JsonElement entry);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        // Looked for behind the activation, so a store that does not answer never holds it up.
        Completion.Arm(TimeSpan.Zero, keepAlive: false);
    }

    protected override async Task AfterAppendAsync(TCommand command, Accepted<TState> accepted, Actor actor, long seq)
    {
        if (ResolutionOf(accepted, actor, seq) is not { } resolution)
            return;
        try
        {
            await EscalationResolutions.RecordAsync(GrainFactory, Logger, Picture, command.Reason, command.Internal, resolution);
        }
        catch (Exception error)
        {
            Logger.LogWarning(error, "The beslut of level step {Seq} in {Picture} could not be recorded yet; trying again", seq, Picture);
            Completion.Arm(CompletionRetry.FirstWait, keepAlive: true);
        }
    }

    protected override Task CompleteOnRetryAsync(TCommand command, Actor actor, long seq, JsonElement entry) =>
        StepOf(entry) is { } accepted ? AfterAppendAsync(command, accepted, actor, seq) : Task.CompletedTask;

    /// <summary>Every step of this entity in the loggbok that has no beslut gets it, with the reason the step was given.</summary>
    private async Task CompleteAsync()
    {
        foreach (var text in await OwnEntriesAsync())
        {
            using var document = JsonDocument.Parse(text);
            var entry = document.RootElement;
            var seq = entry.GetProperty("seq").GetInt64();
            if (StepOf(entry) is not { } accepted || await ExistsAsync(EscalationResolutions.RefOf(seq)))
                continue;
            var actor = entry.GetProperty("actor").Deserialize<Actor>(DomainJson.Options)!;
            var reason = entry.TryGetProperty("reason", out var given) ? given.GetString() : null;
            var isInternal = entry.TryGetProperty("internal", out var marked) && marked.GetBoolean();
            await EscalationResolutions.RecordAsync(GrainFactory, Logger, Picture, reason, isInternal, ResolutionOf(accepted, actor, seq)!);
            Logger.LogInformation("Recorded the missing beslut of level step {Seq} in {Picture}", seq, Picture);
        }
    }
}
