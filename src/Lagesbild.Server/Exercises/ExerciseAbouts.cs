using System.Globalization;
using System.Text.Json;
using Lagesbild.Domain.Exercises;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Picture;
using StackExchange.Redis;

namespace Lagesbild.Server.Exercises;

/// <summary>Where an exercise's picture started from: the city's configuration as the live picture has it, or a saved picture file.</summary>
public enum StartingStateKind
{
    /// <summary>Stadens konfiguration: districts, sectors, crisis bodies and points as the live picture is seeded.</summary>
    Configuration,
    /// <summary>Ett sparat utgångsläge: a picture's loggbok imported from a file.</summary>
    File,
}

/// <summary>Where an exercise's picture started from; for a file, which picture it was exported from and at which sequence number.</summary>
public sealed record StartingState(StartingStateKind Kind, string? FromPicture = null, long? AtSeq = null);

/// <summary>
/// What an exercise is called and is about, as given when it was created (null for the live picture):
/// its name, description, planned start, the participants invited by role, and where its picture started from.
/// </summary>
public sealed record ExerciseAbout(string Picture, string? Name, string? Description, DateTimeOffset? CreatedAt, string? CreatedBy,
    DateTimeOffset? StartsAt = null, IReadOnlyList<Invitation>? Participants = null, StartingState? StartedFrom = null);

/// <summary>
/// An exercise's name, description, start and participants, kept beside its picture (<see cref="PictureKeys.About"/>):
/// they describe the exercise, they are no change to its picture, so they are not in its loggbok.
/// </summary>
public sealed class ExerciseAbouts(IConnectionMultiplexer redis)
{
    private IDatabase Db => redis.GetDatabase();

    public Task SaveAsync(ExerciseAbout about) => Db.HashSetAsync(new PictureKeys(about.Picture).About,
    [
        new HashEntry("name", about.Name ?? ""),
        new HashEntry("description", about.Description ?? ""),
        new HashEntry("createdAt", about.CreatedAt?.ToString("O") ?? ""),
        new HashEntry("createdBy", about.CreatedBy ?? ""),
        new HashEntry("startsAt", about.StartsAt?.ToString("O") ?? ""),
        new HashEntry("participants", about.Participants is { } participants ? JsonSerializer.Serialize(participants, DomainJson.Options) : ""),
        new HashEntry("startedFrom", about.StartedFrom is { } from ? JsonSerializer.Serialize(from, DomainJson.Options) : ""),
    ]);

    public async Task<ExerciseAbout> GetAsync(string picture)
    {
        var fields = (await Db.HashGetAllAsync(new PictureKeys(picture).About)).ToDictionary(f => f.Name.ToString(), f => f.Value.ToString());
        string? Field(string name) => fields.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
        DateTimeOffset? Time(string name) => Field(name) is { } at ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture) : null;
        T? Json<T>(string name) where T : class => Field(name) is { } json ? JsonSerializer.Deserialize<T>(json, DomainJson.Internal) : null;
        return new ExerciseAbout(picture, Field("name"), Field("description"), Time("createdAt"), Field("createdBy"),
            Time("startsAt"), Json<Invitation[]>("participants"), Json<StartingState>("startedFrom"));
    }
}
