using System.Text.RegularExpressions;

namespace Lagesbild.Domain.Picture;

/// <summary>Which picture a thing belongs to: the live lägesbild, or one exercise (övning).</summary>
public static partial class PictureId
{
    public const string Live = "live";

    /// <summary>An exercise id: <c>ex-</c> followed by 1–40 lower-case letters, digits or dashes.</summary>
    [GeneratedRegex(@"^ex-[a-z0-9][a-z0-9-]{0,39}\z")]
    private static partial Regex ExercisePattern();

    public static bool IsValid(string? picture) =>
        picture == Live || (picture is not null && ExercisePattern().IsMatch(picture));

    public static bool IsExercise(string picture) => picture != Live;
}
