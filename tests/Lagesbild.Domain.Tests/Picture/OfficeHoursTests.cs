using Lagesbild.Domain.Picture;
using Microsoft.Extensions.Time.Testing;

namespace Lagesbild.Domain.Tests.Picture;

/// <summary>Office hours follow the Swedish almanac: holidays are computed for any year, never listed by hand.</summary>
public sealed class OfficeHoursTests
{
    [Theory]
    [InlineData(2000, 4, 23)]
    [InlineData(2024, 3, 31)]
    [InlineData(2025, 4, 20)]
    [InlineData(2026, 4, 5)]
    [InlineData(2027, 3, 28)]
    [InlineData(2038, 4, 25)]
    public void Easter_sunday_falls_where_the_almanac_has_it(int year, int month, int day) =>
        Assert.Equal(new DateOnly(year, month, day), SwedishHolidays.EasterSunday(year));

    [Theory]
    [InlineData("2025-04-18", "långfredagen")]
    [InlineData("2025-04-21", "annandag påsk")]
    [InlineData("2025-05-29", "Kristi himmelsfärdsdag")]
    [InlineData("2025-06-08", "pingstdagen")]
    [InlineData("2025-06-20", "midsommarafton")]
    [InlineData("2025-06-21", "midsommardagen")]
    [InlineData("2025-11-01", "alla helgons dag")]
    [InlineData("2026-04-03", "långfredagen")]
    [InlineData("2026-05-14", "Kristi himmelsfärdsdag")]
    [InlineData("2026-06-06", "Sveriges nationaldag")]
    [InlineData("2026-06-19", "midsommarafton")]
    [InlineData("2026-10-31", "alla helgons dag")]
    [InlineData("2026-12-24", "julafton")]
    [InlineData("2026-12-26", "annandag jul")]
    [InlineData("2027-01-06", "trettondedag jul")]
    [InlineData("2027-06-25", "midsommarafton")]
    [InlineData("2027-11-06", "alla helgons dag")]
    public void Each_swedish_holiday_is_found_on_its_date(string date, string name) =>
        Assert.Equal(name, SwedishHolidays.NameOf(DateOnly.Parse(date)));

    [Theory]
    [InlineData("2026-06-18")] // the Thursday before midsommarafton
    [InlineData("2026-06-26")] // a Friday in the midsommar range's week after, not midsommarafton
    [InlineData("2026-11-02")]
    [InlineData("2026-12-23")]
    [InlineData("2026-04-02")] // skärtorsdagen is a working day
    public void An_ordinary_working_day_is_no_holiday(string date) =>
        Assert.Null(SwedishHolidays.NameOf(DateOnly.Parse(date)));

    [Fact]
    public void The_office_is_closed_on_midsommarafton_and_open_the_day_before_and_the_monday_after()
    {
        // Thursday 18 June 2026, 10:00 in Stockholm (summer time, UTC+2).
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 18, 8, 0, 0, TimeSpan.Zero));
        var office = OfficeHours.Stockholm;
        Assert.True(office.IsOpen(clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromDays(1));
        Assert.False(office.IsOpen(clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromDays(3));
        Assert.True(office.IsOpen(clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromHours(8)); // 18:00, after closing
        Assert.False(office.IsOpen(clock.GetUtcNow()));
    }

    [Fact]
    public void The_office_is_closed_over_easter_from_langfredagen_to_annandag_pask()
    {
        // Skärtorsdagen 2 April 2026, 09:00 in Stockholm (summer time).
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 4, 2, 7, 0, 0, TimeSpan.Zero));
        var open = new List<bool>();
        for (var day = 0; day < 6; day++, clock.Advance(TimeSpan.FromDays(1)))
            open.Add(OfficeHours.Stockholm.IsOpen(clock.GetUtcNow()));
        // Thursday open; Friday, Saturday, Sunday, Monday closed; Tuesday open.
        Assert.Equal([true, false, false, false, false, true], open);
    }
}
