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
        Assert.ThrowsAny<JsonException>(() => Read(json));

    [Fact]
    public void A_status_given_as_a_number_is_refused() =>
        Assert.ThrowsAny<JsonException>(() => Read("""{"type":"ChangeSafetyPointStatus","status":2}"""));

    [Theory]
    [InlineData("Opened")]
    [InlineData("Öppen")]
    [InlineData("2")]
    public void A_status_name_that_does_not_exist_is_refused(string status) =>
        Assert.ThrowsAny<JsonException>(() => Read($$"""{"type":"ChangeSafetyPointStatus","status":"{{status}}"}"""));

    [Fact]
    public void A_command_type_that_does_not_exist_is_refused() =>
        Assert.Throws<JsonException>(() => Read("""{"type":"DeleteSafetyPoint"}"""));

    [Fact]
    public void A_number_given_as_text_is_refused() =>
        Assert.Throws<JsonException>(() => Read("""{"type":"ReportSafetyPointVisitors","visitors":"12"}"""));

    [Theory]
    [InlineData("""{"type":"ReportSafetyPointVisitors","visitors":1,"visitors":2}""", "visitors")]
    [InlineData("""{"type":"ReportSafetyPointVisitors","type":"ReportSafetyPointVisitors","visitors":1}""", "type")]
    [InlineData("""{"type":"SetSafetyPointCapabilities","capabilities":{"Heat":"Available","Heat":"Unavailable"}}""", "capabilities.Heat")]
    public void A_key_given_twice_is_refused_and_named(string json, string field)
    {
        var error = Assert.ThrowsAny<JsonException>(() => Read(json));

        Assert.Equal(field, DomainJson.Explain(error, typeof(Command)).Field);
        Assert.Contains("mer än en gång", DomainJson.Explain(error, typeof(Command)).Message);
    }

    [Theory]
    [InlineData("""{"type":"ChangeSafetyPointStatus","Status":"Open"}""")]
    [InlineData("""{"type":"ChangeSafetyPointStatus","STATUS":"Open"}""")]
    [InlineData("""{"Type":"ChangeSafetyPointStatus","status":"Open"}""")]
    [InlineData("""{"type":"changeSafetyPointStatus","status":"Open"}""")]
    [InlineData("""{"type":"ChangeSafetyPointStatus","status":"open"}""")]
    [InlineData("""{"type":"ChangeSafetyPointStatus","status":"OPEN"}""")]
    [InlineData("""{"type":"SetSafetyPointCapabilities","capabilities":{"heat":"Available"}}""")]
    [InlineData("""{"type":"SetSafetyPointCapabilities","capabilities":{"Heat":"available"}}""")]
    public void Only_the_documented_spelling_of_names_and_values_is_read(string json)
    {
        var error = Assert.ThrowsAny<Exception>(() => Read(json));

        Assert.True(error is JsonException or NotSupportedException, error.ToString());
    }

    [Theory]
    [InlineData("""{"type":"ReportSafetyPointVisitors","visitors":1,"kind":"City"}""")]
    [InlineData("""{"type":"RegisterDistrict","name":"X","creates":false}""")]
    public void A_field_the_server_computes_itself_is_refused_not_ignored(string json) =>
        Assert.ThrowsAny<JsonException>(() => Read(json));

    [Fact]
    public void A_command_is_written_without_the_fields_the_server_computes()
    {
        var json = JsonSerializer.Serialize<Command>(new ReportSafetyPointVisitors(3), DomainJson.Options);

        Assert.DoesNotContain("kind", json);
        Assert.DoesNotContain("creates", json);
    }

    public static TheoryData<string> Unreadable => new()
    {
        """{"type":"ChangeCityLevel","level":5}""",
        """{"type":"ChangeCityLevel","level":"normal"}""",
        """{"type":"ScheduleCrisisBodyMeeting","at":"soon","place":"x"}""",
        """{"type":"SetCrisisBodyOnDuty","people":{}}""",
        """{"type":"SetCrisisBodyOnDuty","people":[{"name":1}]}""",
        """{"type":"ReportSafetyPointVisitors","visitors":1.5}""",
        """{"type":"ReportSafetyPointVisitors","Visitors":1}""",
        """{"type":"ReportSafetyPointVisitors","$type":"x"}""",
        """{"type":"Nope"}""",
        """{"visitors":1}""",
        """[1]""",
        """{"type":"ReportSafetyPointVisitors","visitors":1""",
        """{"type":"ReportSafetyPointVisitors","reason":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}""",
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void Why_a_command_cannot_be_read_is_said_without_naming_code(string json)
    {
        var error = Assert.ThrowsAny<Exception>(() => Read(json));

        var (field, message) = DomainJson.Explain(error, typeof(Command));

        Assert.DoesNotMatch(CodeNames, field + " " + message);
        Assert.False(string.IsNullOrWhiteSpace(message));
    }

    /// <summary>What a .NET type or serializer detail looks like in a message.</summary>
    public const string CodeNames = @"Lagesbild\.|System\.|Nullable|`1|\$type|JSON value could not|\.NET";
}
