using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Lagesbild.Testing;

/// <summary>Tokens from the server's development sign-in, fetched once per server and user.</summary>
public static class DevTokens
{
    private static readonly ConcurrentDictionary<(string, string), string> Tokens = new();

    public static string Get(Uri server, string user) => Tokens.GetOrAdd((server.ToString(), user), _ => Issue(server, user));

    /// <summary>Drops a server's tokens when it is gone, so a later server on the same port signs in afresh.</summary>
    public static void Forget(Uri server)
    {
        foreach (var key in Tokens.Keys.Where(k => k.Item1 == server.ToString()))
            Tokens.TryRemove(key, out _);
    }

    /// <summary>A new token of its own (not the shared one), for a test that signs it out or revokes it.</summary>
    public static string Issue(Uri server, string user)
    {
        using var http = new HttpClient { BaseAddress = server };
        var response = http.PostAsJsonAsync("api/dev/sign-in", new { user }).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        return response.Content.ReadFromJsonAsync<JsonElement>().GetAwaiter().GetResult().GetProperty("token").GetString()!;
    }

    /// <summary>A development signing key (Lagesbild:Auth:DevelopmentSigningKey) for nodes that must accept each other's tokens.</summary>
    public static string NewSigningKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
