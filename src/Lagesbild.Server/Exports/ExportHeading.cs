using System.Globalization;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Server.Exports;

/// <summary>
/// What every export says about itself: which picture (and whether it is an exercise), what it is,
/// when it was made and at which sequence number, so a printed page can be traced to the picture it shows.
/// </summary>
public sealed record ExportHeading(string Picture, string PictureName, string Title, DateTimeOffset MadeAt, long Seq)
{
    private static readonly TimeZoneInfo Stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");

    public bool IsExercise => PictureId.IsExercise(Picture);

    public string Subtitle => $"{PictureName} · skapad {Time(MadeAt)} · lägesbildens nummer {Seq}";

    public string Footer => $"{(IsExercise ? "ÖVNING · " : "")}{PictureName} · {Time(MadeAt)} · nr {Seq}";

    /// <summary>A time as Stockholm reads it, with its offset, e.g. 2026-12-06 07:40 (+01:00).</summary>
    public static string Time(DateTimeOffset? at) => at is { } value
        ? TimeZoneInfo.ConvertTime(value, Stockholm).ToString("yyyy-MM-dd HH:mm (zzz)", CultureInfo.InvariantCulture)
        : "–";

    /// <summary>A file name for the download: what, which picture, when.</summary>
    public string FileName(string what, string extension) =>
        $"{what}-{Picture}-{TimeZoneInfo.ConvertTime(MadeAt, Stockholm):yyyyMMdd-HHmm}.{extension}";
}
