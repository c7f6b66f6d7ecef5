using Lagesbild.Testing;
using Xunit.Abstractions;

namespace Lagesbild.Server.Tests;

/// <summary>
/// A wrong setting stops the start with a message that names it, instead of a server that
/// half works: every options class is checked before anything is served.
/// </summary>
public sealed class SettingsAtStartTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("Lagesbild:Cluster:SiloPort", "0", "Lagesbild:Cluster:SiloPort")]
    [InlineData("Lagesbild:Cluster:AdvertisedAddress", "nod-ett", "är ingen IP-adress")]
    [InlineData("Lagesbild:Storage:EmbeddedPort", "70000", "Lagesbild:Storage:EmbeddedPort")]
    [InlineData("Lagesbild:Live:CoalesceMilliseconds", "5", "CoalesceMilliseconds")]
    [InlineData("Lagesbild:Map:Directory", "/finns/inte", "saknar districts.geojson")]
    [InlineData("Lagesbild:Exports:FontDirectory", "/finns/inte", "fonts-dejavu-core")]
    [InlineData("Lagesbild:Cluster:StepAside:AfterSeconds", "0", "AfterSeconds")]
    [InlineData("Lagesbild:Cluster:StepAside:ProbeMilliseconds", "5000", "Lagret måste frågas oftare")]
    [InlineData("Lagesbild:TaskLists:EventKinds:langvarigt-elavbrott:Tasks:0:DueInHours", "0", "Ska vara 1–8760 timmar")]
    [InlineData("Lagesbild:TaskLists:EventKinds:Stor brand:Name", "Stor brand", "Händelsetypens id 'Stor brand'")]
    [InlineData("Lagesbild:Alerts:EscalateAfterSeconds", "0", "EscalateAfterSeconds")]
    [InlineData("Lagesbild:Alerts:Escalation:tib:1:Person", "Karin Holm", "ett steg är antingen ett beredskapsschema")]
    [InlineData("Lagesbild:Alerts:Channels:Webhook:Targets:sms:Url", "http://sms.example.org/larm", "en webhook tas emot över https")]
    [InlineData("Lagesbild:Alerts:Channels:Webhook:Targets:sms:Url", "https://sms.example.org/larm", "Targets:sms:Secret saknas")]
    [InlineData("Lagesbild:Alerts:Channels:Smtp:Enabled", "true", "e-post kräver en SMTP-server")]
    public async Task A_wrong_setting_stops_the_start_and_the_message_names_it(string setting, string value, string said)
    {
        await using var server = new ServerProcess(settings: new Dictionary<string, string> { [setting] = value });

        var exitCode = await server.RunUntilExitAsync();

        output.WriteLine($"{setting}={value}: exit {exitCode}\n{server.Output[..Math.Min(server.Output.Length, 2000)]}");
        Assert.NotEqual(0, exitCode);
        Assert.Contains(said, server.Output);
    }
}
