using System.Text.Json;
using Lagesbild.Domain.Duty;
using Lagesbild.Domain.Picture;
using Lagesbild.Server.Access;
using Lagesbild.Server.Api;
using Lagesbild.Server.Live;

namespace Lagesbild.Server.Duty;

/// <summary>Who is on duty now: each beredskapsschema's person now and next, read from the picture's current state.</summary>
public static class DutyApi
{
    public static IEndpointRouteBuilder MapDutyApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/pictures/{picture}/duty/now", GetDutyNowAsync)
            .RequireExistingPicture()
            .RequireAuthorization(AccessExtensions.OperatorsPicture)
            .WithTags("Lägesbild")
            .WithName("GetDutyNow")
            .Produces<DutyNowAnswer>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Vem som har beredskap just nu och härnäst, per beredskapsschema, och om det är kontorstid");
        return app;
    }

    private static async Task<IResult> GetDutyNowAsync(string picture, PictureFeeds feeds, IOfficeHours officeHours, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var (seq, states) = (await feeds.GetAsync(picture)).States();
        var duties = new List<DutyNow>();
        foreach (var (key, json) in states)
        {
            if (EntityRef.TryParse(key, out var entity) && entity.Kind == EntityKind.DutyRoster &&
                JsonSerializer.Deserialize<DutyRosterState>(json, DomainJson.Options) is { } roster)
                duties.Add(DutyRosterRules.Now(entity.Id, roster, now, officeHours));
        }
        duties.Sort((a, b) => string.CompareOrdinal(a.Roster, b.Roster));
        var local = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm"));
        return TypedResults.Ok(new DutyNowAnswer(seq, now, officeHours.IsOpen(now), SwedishHolidays.NameOf(DateOnly.FromDateTime(local.DateTime)), duties));
    }
}

/// <summary>Who holds each duty at <paramref name="At"/>.</summary>
/// <param name="Seq">The picture's sequence number the answer was read at.</param>
/// <param name="OfficeOpen">Whether it is office hours (weekdays 08–17 that are not holidays); outside them the duties are in force.</param>
/// <param name="Holiday">The Swedish name of today's holiday, if today is one.</param>
public sealed record DutyNowAnswer(long Seq, DateTimeOffset At, bool OfficeOpen, string? Holiday, IReadOnlyList<DutyNow> Duties);
