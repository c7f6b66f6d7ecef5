using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;

namespace Lagesbild.Testing;

/// <summary>Tokens from the server's development sign-in, fetched once per server and user.</summary>
public static class DevTokens
{
    private static readonly ConcurrentDictionary<(string, string), string> Tokens = new();

    public static string Get(Uri server, string user) => Tokens.GetOrAdd((server.ToString(), user), key =>
    {
        using var http = new HttpClient { BaseAddress = server };
        var response = http.PostAsJsonAsync("api/dev/sign-in", new { user }).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        return response.Content.ReadFromJsonAsync<JsonElement>().GetAwaiter().GetResult().GetProperty("token").GetString()!;
    });
}
