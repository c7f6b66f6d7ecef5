using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Lagesbild.Testing;

/// <summary>
/// An outside sender of CAP 1.2 messages as the tests play it (docs/protocol.md, the CAP intake): the server's settings
/// that know SOS Alarm and the fire service, a message in the shape of the CAP 1.2 specification's examples, and the
/// signed post (HMAC-SHA256 over "t.body" with the sender's secret).
/// </summary>
public static class CapSenders
{
    public const string SosSecret = "sos-alarm-test-hemlighet-som-ar-minst-32-tecken";
    public const string FireSecret = "raddningstjansten-test-hemlighet-minst-32-tecken";

    /// <summary>The CAP intake on, with SOS Alarm (<c>sos-alarm</c>) and Storstockholms brandförsvar (<c>raddningstjansten</c>) as senders.</summary>
    public static void AddIntake(IDictionary<string, string> settings)
    {
        settings["Lagesbild:CapIntake:Enabled"] = "true";
        settings["Lagesbild:CapIntake:Senders:0:Id"] = "sos-alarm";
        settings["Lagesbild:CapIntake:Senders:0:Name"] = "SOS Alarm";
        settings["Lagesbild:CapIntake:Senders:0:Secret"] = SosSecret;
        settings["Lagesbild:CapIntake:Senders:1:Id"] = "raddningstjansten";
        settings["Lagesbild:CapIntake:Senders:1:Name"] = "Storstockholms brandförsvar";
        settings["Lagesbild:CapIntake:Senders:1:Secret"] = FireSecret;
    }

    /// <summary>A gas leak in Farsta as SOS Alarm might send it.</summary>
    public static string Message(string identifier, string msgType = "Alert", string? references = null, DateTimeOffset? sent = null,
        string status = "Actual", string severity = "Severe", string urgency = "Immediate", string headline = "Gasläcka i Farsta centrum",
        string polygon = "59.2460,18.0850 59.2460,18.1000 59.2380,18.1000 59.2380,18.0850 59.2460,18.0850") => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
          <identifier>{identifier}</identifier>
          <sender>sos@sosalarm.se</sender>
          <sent>{(sent ?? DateTimeOffset.UtcNow).ToOffset(TimeSpan.FromHours(1)):yyyy-MM-ddTHH:mm:sszzz}</sent>
          <status>{status}</status>
          <msgType>{msgType}</msgType>
          <scope>Public</scope>{(references is null ? "" : $"\n  <references>{references}</references>")}
          <info>
            <language>sv-SE</language>
            <category>Safety</category>
            <event>Gasläcka</event>
            <urgency>{urgency}</urgency>
            <severity>{severity}</severity>
            <certainty>Observed</certainty>
            <senderName>SOS Alarm</senderName>
            <headline>{headline}</headline>
            <description>Läckage från gasledning vid Farsta centrum. Räddningstjänsten är på plats och har spärrat av området.</description>
            <area>
              <areaDesc>Farsta centrum med omnejd</areaDesc>
              <polygon>{polygon}</polygon>
            </area>
          </info>
        </alert>
        """;

    /// <summary>The sender's signature header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body"&gt;</c>.</summary>
    public static string Sign(string secret, long unixSeconds, byte[] body)
    {
        byte[] signed = [.. Encoding.UTF8.GetBytes($"{unixSeconds}."), .. body];
        return $"t={unixSeconds},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed))}";
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient http, string xml, string? sender = "sos-alarm", string? secret = SosSecret,
        string picture = "live", long? at = null, string contentType = "application/cap+xml")
    {
        var body = Encoding.UTF8.GetBytes(xml);
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/pictures/{picture}/alerts/cap") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (sender is not null)
            request.Headers.Add("Lagesbild-Cap-Sender", sender);
        if (secret is not null)
            request.Headers.Add("Lagesbild-Cap-Signature", Sign(secret, at ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
        return await http.SendAsync(request);
    }
}
