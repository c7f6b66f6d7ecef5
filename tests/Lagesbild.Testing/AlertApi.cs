using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Lagesbild.Testing;

/// <summary>What the alert tests do over HTTP: a beredskapsschema with someone on duty now, a sector down, the alerts and their loggbok.</summary>
public static class AlertApi
{
    public static async Task PlanAsync(HttpClient http, string roster, string person, string picture = "live")
    {
        var now = DateTimeOffset.UtcNow;
        var body = JsonSerializer.Serialize(new
        {
            shifts = new[]
            {
                new { person, from = now.AddHours(-1), to = now.AddHours(12), phone = "070-123 45 67" },
                new { person = "Natt", from = now.AddHours(12), to = now.AddHours(24), phone = "070-765 43 21" },
            },
        });
        using var answer = await http.SendJsonAsync("PUT", $"api/pictures/{picture}/duty-rosters/{roster}", body);
        if (!answer.IsSuccessStatusCode)
            throw new InvalidOperationException(await answer.Content.ReadAsStringAsync());
    }

    /// <summary>Central krisledning creates an exercise picture (ÖVNING) to receive and triage in.</summary>
    public static async Task CreateExerciseAsync(HttpClient central, string picture, string name)
    {
        using var created = await central.SendJsonAsync("POST", "api/pictures", JsonSerializer.Serialize(new { id = picture, name }));
        if (!created.IsSuccessStatusCode)
            throw new InvalidOperationException(await created.Content.ReadAsStringAsync());
    }

    /// <param name="internalNote">A reason given as an internal note (partners never see it).</param>
    public static async Task SectorAsync(HttpClient http, string sector, string status, string picture = "live", string? internalNote = null)
    {
        var body = JsonSerializer.Serialize(new { status, affectedDistricts = status == "Normal" ? Array.Empty<string>() : ["farsta"], reason = internalNote, @internal = internalNote is not null });
        using var answer = await http.SendJsonAsync("PUT", $"api/pictures/{picture}/sectors/{sector}/status", body);
        if (!answer.IsSuccessStatusCode)
            throw new InvalidOperationException(await answer.Content.ReadAsStringAsync());
    }

    public static async Task<JsonElement[]> AlertsAsync(HttpClient http, string picture = "live") =>
        [.. (await http.GetFromJsonAsync<JsonElement>($"api/pictures/{picture}/snapshot")).GetProperty("entities").EnumerateArray()
            .Where(r => r.GetProperty("kind").GetString() == "Alert").Select(r => r.Clone())];

    public static async Task<(string Id, JsonElement State)> WaitForAlertAsync(HttpClient http, Func<JsonElement, bool> until, TimeSpan? timeout = null, string picture = "live")
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var alert = (await AlertsAsync(http, picture)).FirstOrDefault(a => until(a.GetProperty("state")));
            if (alert.ValueKind != JsonValueKind.Undefined)
                return (alert.GetProperty("id").GetString()!, alert.GetProperty("state"));
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException("The alert never came to the state waited for.");
            await Task.Delay(100);
        }
    }

    public static async Task<JsonElement[]> EntriesAsync(HttpClient http, string id, string picture = "live") =>
        [.. (await http.GetFromJsonAsync<JsonElement>($"api/pictures/{picture}/log?entity=Alert/{id}")).GetProperty("entries").EnumerateArray().Select(e => e.Clone())];

    /// <summary>Waits until <paramref name="done"/> holds, asking every 100 ms; fails with <paramref name="what"/> after the timeout.</summary>
    public static async Task UntilAsync(Func<Task<bool>> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await done())
        {
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException(what);
            await Task.Delay(100);
        }
    }

    /// <summary>A VAPID key pair as the city configures it: the public key uncompressed and the private scalar, both base64url.</summary>
    public static (string PublicKey, string PrivateKey) NewVapidKeys()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(true);
        return (Base64Url([4, .. parameters.Q.X!, .. parameters.Q.Y!]), Base64Url(parameters.D!));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
