namespace Lagesbild.Domain.Picture;

/// <summary>When the office is open, for rules that depend on it (TiB outside office hours).</summary>
public interface IOfficeHours
{
    bool IsOpen(DateTimeOffset moment);
}

/// <summary>The city's office hours, outside which TiB may act for every district.</summary>
public sealed record OfficeHours(TimeOnly Opens, TimeOnly Closes, TimeZoneInfo Zone) : IOfficeHours
{
    public bool IsOpen(DateTimeOffset moment) => Contains(moment);

    public static OfficeHours Stockholm { get; } = new(new TimeOnly(8, 0), new TimeOnly(17, 0), TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm"));

    /// <summary>Weekdays that are not Swedish holidays (<see cref="SwedishHolidays"/>), between opening and closing, local time.</summary>
    public bool Contains(DateTimeOffset moment)
    {
        var local = TimeZoneInfo.ConvertTime(moment, Zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        return local.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)
            && !SwedishHolidays.IsHoliday(DateOnly.FromDateTime(local.DateTime))
            && time >= Opens && time < Closes;
    }
}
