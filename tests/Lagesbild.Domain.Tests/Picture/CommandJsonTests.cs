using System.Text.Json;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;

namespace Lagesbild.Domain.Tests.Picture;

/// <summary>Commands on the wire: read by their type name, and strict about anything they do not know.</summary>
public sealed class CommandJsonTests
{
    private static Command Read(string json) => JsonSerializer.Deserialize<Command>(json, DomainJson.Options)!;

    [Fact]
    public void A_command_is_read_by_its_type_name()
    {
        var command = Read("""{"type":"ChangeSafetyPointStatus","status":"Open"}""");

        Assert.Equal(new ChangeSafetyPointStatus(SafetyPointStatus.Open, null), command);
    }

    [Fact]
    public void The_type_name_may_come_after_the_fields()
    {
        var command = Read("""{"status":"Limited","limitations":"Ingen dusch","reason":"Varmvattnet är slut","type":"ChangeSafetyPointStatus"}""");

        Assert.Equal(new ChangeSafetyPointStatus(SafetyPointStatus.Limited, "Ingen dusch") { Reason = "Varmvattnet är slut" }, command);
    }

    [Fact]
    public void A_command_survives_a_round_trip()
    {
        Command sent = new ReportSafetyPointResources(new BackupPower(true, 36.5), 800, 5, 12, 3) { Reason = "Läget kl. 14" };

        var json = JsonSerializer.Serialize(sent, DomainJson.Options);

        Assert.Contains("\"type\":\"ReportSafetyPointResources\"", json);
        Assert.Equal(sent, Read(json));
    }

    [Theory]
    [InlineData("""{"type":"ChangeSafetyPointStatus","status":"Open","colour":"red"}""")]
    [InlineData("""{"type":"ChangeSafetyPointStatus","status":"Open","limitation":"Ingen dusch"}""")]
    public void An_unknown_field_is_refused(string json) =>
        Assert.Throws<JsonException>(() => Read(json));

    [Fact]
    public void A_status_given_as_a_number_is_refused() =>
        Assert.Throws<JsonException>(() => Read("""{"type":"ChangeSafetyPointStatus","status":2}"""));

    [Theory]
    [InlineData("Opened")]
    [InlineData("Öppen")]
    [InlineData("2")]
    public void A_status_name_that_does_not_exist_is_refused(string status) =>
        Assert.Throws<JsonException>(() => Read($$"""{"type":"ChangeSafetyPointStatus","status":"{{status}}"}"""));

    [Fact]
    public void A_command_type_that_does_not_exist_is_refused() =>
        Assert.Throws<JsonException>(() => Read("""{"type":"DeleteSafetyPoint"}"""));

    [Fact]
    public void A_number_given_as_text_is_refused() =>
        Assert.Throws<JsonException>(() => Read("""{"type":"ReportSafetyPointVisitors","visitors":"12"}"""));
}
