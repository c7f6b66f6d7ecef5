using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Lagesbild.Testing;

/// <summary>Small HTTP helpers for tests: send a command, read the server's digest.</summary>
public static class PictureApi
{
    public static Task<HttpResponseMessage> SendJsonAsync(this HttpClient http, string method, string path, string json, string contentType = "application/json") =>
        http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(json, Encoding.UTF8, contentType) });

    public static async Task<(long Seq, string Digest)> DigestAsync(this HttpClient http, string picture = "live")
    {
        var digest = await http.GetFromJsonAsync<JsonElement>($"api/pictures/{picture}/digest");
        return (digest.GetProperty("seq").GetInt64(), digest.GetProperty("digest").GetString()!);
    }

    /// <summary>Reports resources with a given amount of water: always accepted, so good for a stream of changes.</summary>
    public static async Task<long> ReportWaterAsync(this HttpClient http, string point, int litres, string picture = "live")
    {
        var response = await http.SendJsonAsync("PUT", $"api/pictures/{picture}/safety-points/{point}/resources",
            $$"""{"backupPower":{"available":true,"fuelHours":12},"waterLitres":{{litres}},"staff":4,"frgVolunteers":2,"radios":1}""");
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{point}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("seq").GetInt64();
    }

    /// <summary>Moves a point one step along a loop of allowed transitions and returns the sequence number.</summary>
    public static async Task<long> ToggleVisitorsAsync(this HttpClient http, string point, int visitors, string picture = "live")
    {
        var response = await http.SendJsonAsync("PUT", $"api/pictures/{picture}/safety-points/{point}/visitors", $"{{\"visitors\":{visitors}}}");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seq").GetInt64();
    }

    public static async Task<long> ChangeStatusAsync(this HttpClient http, string point, string status, string picture = "live", string? limitations = null)
    {
        var body = limitations is null ? $"{{\"status\":\"{status}\"}}" : JsonSerializer.Serialize(new { status, limitations });
        var response = await http.SendJsonAsync("POST", $"api/pictures/{picture}/safety-points/{point}/status", body);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{status}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seq").GetInt64();
    }

    /// <summary>
    /// Activates a point unless it is already in operation (an earlier test of a shared server may
    /// have done so; the server then answers 409), so tests sharing a server do not depend on order.
    /// </summary>
    public static async Task EnsureActivatedAsync(this HttpClient http, string point, string picture = "live")
    {
        var response = await http.SendJsonAsync("POST", $"api/pictures/{picture}/safety-points/{point}/status", """{"status":"Activating"}""");
        if (!response.IsSuccessStatusCode && response.StatusCode != System.Net.HttpStatusCode.Conflict)
            throw new InvalidOperationException($"Activating {point}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// Waits until the public view (whose ETag names the live picture's sequence number) reflects
    /// at least <paramref name="seq"/>: it follows the live feed, a few milliseconds behind an acknowledgement.
    /// </summary>
    public static async Task WaitForPublicViewAsync(this HttpClient http, long seq, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            using var response = await http.GetAsync("api/public/safety-points");
            var tag = response.Headers.ETag?.Tag
                ?? throw new InvalidOperationException("The public view carries its ETag only when asked without a token, as residents ask.");
            if (long.TryParse(tag.Trim('"').Split('-').Last(), out var shown) && shown >= seq)
                return;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"The public view stayed at {tag}, not {seq}.");
            await Task.Delay(20);
        }
    }
}
