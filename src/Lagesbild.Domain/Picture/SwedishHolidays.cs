namespace Lagesbild.Domain.Picture;

/// <summary>
/// The days Swedish offices are closed besides Saturdays and Sundays, computed for any year.
/// Source: Lag (1989:253) om allmänna helgdagar (the public holidays: nyårsdagen, trettondedag jul,
/// långfredagen, påskdagen, annandag påsk, Kristi himmelsfärdsdag, pingstdagen, nationaldagen,
/// midsommardagen, alla helgons dag, juldagen, annandag jul, första maj), and Semesterlagen
/// (1977:480) 3 a § with Arbetstidslagen (1982:673) 13 §, which treat midsommarafton, julafton
/// and nyårsafton as Sundays, so the city's offices are closed on them too.
/// Easter follows the Gregorian computus (Meeus/Jones/Butcher).
/// </summary>
public static class SwedishHolidays
{
    /// <summary>The Swedish name of the holiday that falls on the date, or null on an ordinary day.</summary>
    public static string? NameOf(DateOnly date)
    {
        var easter = EasterSunday(date.Year);
        var offset = date.DayNumber - easter.DayNumber;
        return (date.Month, date.Day, offset) switch
        {
            (_, _, -2) => "långfredagen",
            (_, _, 0) => "påskdagen",
            (_, _, 1) => "annandag påsk",
            (_, _, 39) => "Kristi himmelsfärdsdag",
            (_, _, 49) => "pingstdagen",
            (1, 1, _) => "nyårsdagen",
            (1, 6, _) => "trettondedag jul",
            (5, 1, _) => "första maj",
            (6, 6, _) => "Sveriges nationaldag",
            (12, 24, _) => "julafton",
            (12, 25, _) => "juldagen",
            (12, 26, _) => "annandag jul",
            (12, 31, _) => "nyårsafton",
            // Midsommardagen is the Saturday in 20–26 June, its afton the Friday before.
            (6, >= 20 and <= 26, _) when date.DayOfWeek == DayOfWeek.Saturday => "midsommardagen",
            (6, >= 19 and <= 25, _) when date.DayOfWeek == DayOfWeek.Friday => "midsommarafton",
            // Alla helgons dag is the Saturday in 31 October – 6 November.
            (10, 31, _) or (11, <= 6, _) when date.DayOfWeek == DayOfWeek.Saturday => "alla helgons dag",
            _ => null,
        };
    }

    public static bool IsHoliday(DateOnly date) => NameOf(date) is not null;

    /// <summary>Easter Sunday in the Gregorian calendar (the anonymous algorithm in Meeus, Astronomical Algorithms, ch. 8).</summary>
    public static DateOnly EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = (19 * a + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + 2 * e + 2 * i - h - k) % 7;
        var m = (a + 11 * h + 22 * l) / 451;
        var month = (h + l - 7 * m + 114) / 31;
        var day = (h + l - 7 * m + 114) % 31 + 1;
        return new DateOnly(year, month, day);
    }
}
