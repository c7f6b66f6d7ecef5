using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.Exercises;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.CrisisBodies;
using Lagesbild.Grains.Picture;
using Lagesbild.Grains.Sectors;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.Exercises;

/// <summary>One message in a desk's inkorg in an exercise: posted once, read by its recipient.</summary>
public interface IMessageGrain : IEntityGrain<MessageCommand>;

public sealed class MessageGrain(PictureStore store, IAreas areas, IOfficeHours officeHours, TimeProvider clock, ILogger<MessageGrain> logger)
    : EntityGrain<MessageState, MessageCommand>(store, areas, officeHours, clock, logger), IMessageGrain
{
    protected override EntityKind Kind => EntityKind.Message;

    protected override Decision<MessageState> Decide(EntityRef self, MessageState? state, MessageCommand command, DecideContext context) =>
        ExerciseMessages.Decide(self, state, command, context);

    protected override string? DistrictOf(MessageState state) => state.District;

    protected override async Task<Refusal?> CheckReferencesAsync(MessageCommand command)
    {
        if (ExerciseGrain.NotAnExercise(Picture) is { } live)
            return live;
        if (command is not PostMessage { To: { Id: { } id } to })
            return null;
        var record = to.Kind switch
        {
            AssigneeKind.Sector => await GrainFactory.GetGrain<ISectorGrain>(EntityKey.Of(Picture, id)).Record(),
            AssigneeKind.CrisisBody => await GrainFactory.GetGrain<ICrisisBodyGrain>(EntityKey.Of(Picture, id)).Record(),
            // A district's existence is the rules' to check (the map knows them).
            _ => "",
        };
        return record is null
            ? Refusal.Invalid(new Dictionary<string, string[]> { ["to.id"] = [$"{(to.Kind == AssigneeKind.Sector ? "Sektorn" : "Krisledningsorganet")} {id} finns inte i övningen."] })
            : null;
    }
}
