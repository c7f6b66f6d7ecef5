using System.Text.Json;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;

namespace Lagesbild.Domain.Tests.SafetyPoints;

/// <summary>Registering a trygghetspunkt and what the rules accept as its details and resources.</summary>
public sealed class SafetyPointRulesTests
{
    private static readonly SafetyPointState Open = Points.In(SafetyPointStatus.Open);

    [Fact]
    public void A_registered_point_starts_inactive_offering_its_capabilities()
    {
        var accepted = Points.Decide(null, Points.Register() with { Name = "  Farsta stadsdelsförvaltning " }).AssertAccepted();

        Assert.Equal(SafetyPointStatus.Inactive, accepted.State.Status);
        Assert.Equal("Farsta stadsdelsförvaltning", accepted.State.Name);
        Assert.Equal([Capability.Information, Capability.Charging, Capability.Heat], accepted.State.Capabilities.Keys.Order());
        Assert.All(accepted.State.Capabilities.Values, state => Assert.Equal(CapabilityState.Available, state));
        Assert.True(accepted.State.Resources.BackupPower.Available);
        Assert.Equal(0, accepted.State.Visitors);
        Assert.IsType<SafetyPointRegistered>(accepted.Change);
    }

    [Fact]
    public void Registering_a_point_that_exists_is_refused_as_a_conflict() =>
        Points.Decide(Open, Points.Register()).AssertRefused(RefusalKind.Conflict);

    [Fact]
    public void Opening_a_point_that_was_never_registered_is_refused_as_not_found()
    {
        var refusal = Points.Decide(null, Points.MoveTo(SafetyPointStatus.Activating)).AssertRefused(RefusalKind.NotFound);

        Assert.Contains("SafetyPoint/farsta-storforsplan", refusal.Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void A_tier_outside_one_to_three_is_invalid(int tier)
    {
        Points.Decide(null, Points.Register() with { Tier = tier }).AssertInvalid("tier");
        Points.Decide(Open, new UpdateSafetyPointDetails(null, null, null, tier, null)).AssertInvalid("tier");
    }

    [Fact]
    public void A_point_without_room_for_anyone_is_invalid()
    {
        Points.Decide(null, Points.Register() with { Capacity = 0 }).AssertInvalid("capacity");
        Points.Decide(Open, new UpdateSafetyPointDetails(null, null, null, null, 0)).AssertInvalid("capacity");
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var refusal = Points.Decide(null, Points.Register() with { Tier = 0, Capacity = 0, Name = null }).AssertRefused(RefusalKind.Invalid);

        Assert.Equal(["capacity", "name", "tier"], refusal.Errors!.Keys.Order());
    }

    [Theory]
    [InlineData(168.5)]
    [InlineData(1000)]
    [InlineData(-1)]
    public void Fuel_for_more_than_a_week_or_below_zero_is_invalid(double fuelHours) =>
        Points.Decide(Open, Points.Resources(new BackupPower(true, fuelHours))).AssertInvalid("backupPower.fuelHours");

    [Fact]
    public void A_full_week_of_fuel_is_accepted()
    {
        var accepted = Points.Decide(Open, Points.Resources(new BackupPower(true, 168))).AssertAccepted();

        Assert.Equal(168, accepted.State.Resources.BackupPower.FuelHours);
    }

    [Fact]
    public void Fuel_hours_without_backup_power_are_invalid()
    {
        var messages = Points.Decide(Open, Points.Resources(new BackupPower(false, 12))).AssertInvalid("backupPower.fuelHours");

        Assert.Contains(messages, m => m.Contains("reservkraft"));
    }

    [Fact]
    public void Resources_without_backup_power_said_are_invalid() =>
        Points.Decide(Open, new ReportSafetyPointResources(null, 0, 0, 0, 0)).AssertInvalid("backupPower");

    [Fact]
    public void A_negative_number_of_visitors_is_invalid() =>
        Points.Decide(Open, new ReportSafetyPointVisitors(-1)).AssertInvalid("visitors");

    [Fact]
    public void A_name_longer_than_two_hundred_characters_is_invalid()
    {
        Points.Decide(null, Points.Register() with { Name = new string('a', 200) }).AssertAccepted();
        Points.Decide(null, Points.Register() with { Name = new string('a', 201) }).AssertInvalid("name");
    }

    [Fact]
    public void A_reason_longer_than_two_thousand_characters_is_invalid() =>
        Points.Decide(Open, new ReportSafetyPointVisitors(3) { Reason = new string('x', 2001) }).AssertInvalid("reason");

    [Theory]
    [InlineData("Farsta\u0000")]
    [InlineData("Farsta\u001b[31m")]
    [InlineData("Farsta\u0007")]
    public void Control_characters_in_a_name_are_invalid(string name) =>
        Points.Decide(null, Points.Register() with { Name = name }).AssertInvalid("name");

    [Fact]
    public void Line_breaks_and_tabs_in_a_reason_are_allowed() =>
        Points.Decide(Open, new ReportSafetyPointVisitors(3) { Reason = "Rapport från FRG:\n\tkön växer" }).AssertAccepted();

    [Theory]
    [InlineData(17.6389, 59.8586, "position.lat")] // Uppsala
    [InlineData(11.9746, 57.7089, "position.lon")] // Göteborg
    [InlineData(double.NaN, 59.3, "position.lon")]
    public void A_position_outside_Stockholm_is_invalid(double lon, double lat, string field)
    {
        Points.Decide(null, Points.Register() with { Position = new GeoPosition(lon, lat) }).AssertInvalid(field);
        Points.Decide(Open, new UpdateSafetyPointDetails(null, null, new GeoPosition(lon, lat), null, null)).AssertInvalid(field);
    }

    [Fact]
    public void A_point_placed_outside_its_district_is_invalid()
    {
        var messages = Points.Decide(null, Points.Register() with { Position = Points.InSodermalm }).AssertInvalid("position");

        Assert.Contains(messages, m => m.Contains("farsta"));
    }

    [Fact]
    public void Moving_a_point_out_of_its_district_is_invalid() =>
        Points.Decide(Open, new UpdateSafetyPointDetails(null, null, Points.InSodermalm, null, null)).AssertInvalid("position");

    [Fact]
    public void A_point_in_a_district_the_city_does_not_have_is_invalid() =>
        Points.Decide(null, Points.Register() with { District = "ostermalm" }).AssertInvalid("district");

    [Fact]
    public void Registering_without_a_district_is_invalid() =>
        Points.Decide(null, Points.Register() with { District = null }).AssertInvalid("district");

    [Fact]
    public void Offering_the_same_capability_twice_is_invalid() =>
        Points.Decide(null, Points.Register() with { Capabilities = [Capability.Heat, Capability.Heat] }).AssertInvalid("capabilities");

    [Fact]
    public void Correcting_details_to_what_they_already_are_is_refused_as_a_conflict() =>
        Points.Decide(Open, new UpdateSafetyPointDetails(Open.Name, null, null, Open.Tier, null)).AssertRefused(RefusalKind.Conflict);

    [Fact]
    public void Correcting_nothing_is_invalid() =>
        Points.Decide(Open, new UpdateSafetyPointDetails(null, null, null, null, null)).AssertRefused(RefusalKind.Invalid);

    /// <summary>Every text residents are told, by its name on the wire: a new one is tested here without a new test.</summary>
    public static TheoryData<string> ResidentTexts() =>
        [.. typeof(ResidentInfo).GetConstructors().Single().GetParameters().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name!))];

    /// <summary>Resident info with only the named text given.</summary>
    private static ResidentInfo Only(string field, string? text)
    {
        var parameters = typeof(ResidentInfo).GetConstructors().Single().GetParameters();
        return (ResidentInfo)Activator.CreateInstance(typeof(ResidentInfo),
            [.. parameters.Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name!) == field ? text : null)])!;
    }

    private static string? Read(ResidentInfo? info, string field) =>
        JsonSerializer.SerializeToElement(info, DomainJson.Options).GetProperty(field).GetString();

    [Theory]
    [MemberData(nameof(ResidentTexts))]
    public void Each_text_for_residents_is_kept_from_registration_corrected_and_cleared_with_an_empty_text(string field)
    {
        var registered = Points.Decide(null, Points.Register() with { ResidentInfo = Only(field, "  dygnet runt ") }).AssertAccepted();
        var changed = Points.Decide(registered.State, new UpdateSafetyPointDetails(null, null, null, null, null, Only(field, "08–20, helger 10–16"))).AssertAccepted();
        var cleared = Points.Decide(changed.State, new UpdateSafetyPointDetails(null, null, null, null, null, Only(field, ""))).AssertAccepted();

        Assert.Equal("dygnet runt", Read(registered.State.ResidentInfo, field));
        Assert.Equal("dygnet runt", Read(((SafetyPointRegistered)registered.Change).ResidentInfo, field));
        Assert.Equal("08–20, helger 10–16", Read(changed.State.ResidentInfo, field));
        Assert.Equal("08–20, helger 10–16", Read(((SafetyPointDetailsUpdated)changed.Change).ResidentInfo, field));
        Assert.Null(Read(cleared.State.ResidentInfo, field));
        Assert.Equal("", Read(((SafetyPointDetailsUpdated)cleared.Change).ResidentInfo, field));
    }

    [Theory]
    [MemberData(nameof(ResidentTexts))]
    public void Each_text_for_residents_over_its_limit_is_refused_naming_it(string field)
    {
        var tooLong = new string('x', ResidentInfo.MaxLength(field) + 1);
        Points.Decide(Open, new UpdateSafetyPointDetails(null, null, null, null, null, Only(field, tooLong))).AssertInvalid($"residentInfo.{field}");
        Points.Decide(null, Points.Register() with { ResidentInfo = Only(field, tooLong) }).AssertInvalid($"residentInfo.{field}");
    }

    [Fact]
    public void Correcting_a_text_for_residents_to_what_it_is_changes_nothing()
    {
        var withHours = Points.Decide(null, Points.Register() with { ResidentInfo = new ResidentInfo(OpeningHours: "dygnet runt") }).AssertAccepted().State;

        Points.Decide(withHours, new UpdateSafetyPointDetails(null, null, null, null, null, new ResidentInfo(OpeningHours: " dygnet runt"))).AssertRefused(RefusalKind.Conflict);
        Points.Decide(withHours, new UpdateSafetyPointDetails(null, null, null, null, null, ResidentInfo.None)).AssertRefused(RefusalKind.Invalid);
    }

    [Fact]
    public void A_point_stored_before_texts_for_residents_existed_reads_back_with_none()
    {
        var stored = JsonSerializer.SerializeToNode(Open, DomainJson.Options)!.AsObject();
        stored.Remove("residentInfo");
        stored["openingHours"] = "dygnet runt";

        var read = stored.Deserialize<SafetyPointState>(DomainJson.Internal)!;

        Assert.Equal(ResidentInfo.None, read.ResidentInfo);
    }
}
