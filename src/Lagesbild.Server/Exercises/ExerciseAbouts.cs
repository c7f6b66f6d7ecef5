using Lagesbild.Grains.Picture;
using StackExchange.Redis;

namespace Lagesbild.Server.Exercises;

/// <summary>What an exercise is called and is about, as given when it was created (null for the live picture).</summary>
public sealed record ExerciseAbout(string Picture, string? Name, string? Description, DateTimeOffset? CreatedAt, string? CreatedBy);

/// <summary>
/// An exercise's name and description, kept beside its picture (<see cref="PictureKeys.About"/>):
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
    ]);

    public async Task<ExerciseAbout> GetAsync(string picture)
    {
        var fields = (await Db.HashGetAllAsync(new PictureKeys(picture).About)).ToDictionary(f => f.Name.ToString(), f => f.Value.ToString());
        string? Field(string name) => fields.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
        return new ExerciseAbout(picture, Field("name"), Field("description"),
            Field("createdAt") is { } at ? DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture) : null, Field("createdBy"));
    }
}
