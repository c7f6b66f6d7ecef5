using Lagesbild.Domain.Picture;

namespace Lagesbild.Grains.Picture;

/// <summary>
/// One thing the city manages, in one picture. The key is <c>picture/id</c>, so an
/// exercise's grains are different grains from the live picture's.
/// </summary>
public interface IEntityGrain<TCommand> : IGrainWithStringKey where TCommand : Command
{
    /// <summary>Decides the command with the domain's rules; stores and announces the change when accepted.</summary>
    Task<CommandResult> Handle(TCommand command, Actor actor, Guid commandId);

    /// <summary>The entity's current record as JSON, or null when it does not exist.</summary>
    Task<string?> Record();
}

public static class EntityKey
{
    public static string Of(string picture, string id) => $"{picture}/{id}";

    public static (string Picture, string Id) Parse(string key)
    {
        var slash = key.IndexOf('/');
        return (key[..slash], key[(slash + 1)..]);
    }
}
