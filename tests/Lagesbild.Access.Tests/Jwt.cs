using System.Buffers.Text;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Lagesbild.Access.Tests;

/// <summary>
/// JSON Web Tokens taken apart and put together by hand (HS256 is base64url and one HMAC),
/// so a test can forge exactly one defect into an otherwise valid token.
/// </summary>
public sealed record Jwt(JsonObject Header, JsonObject Payload, string Signature)
{
    public static Jwt Parse(string token)
    {
        var parts = token.Split('.');
        return new Jwt(
            JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!.AsObject(),
            JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject(),
            parts[2]);
    }

    /// <summary>The token with its header and payload as they are now and the signature it came with.</summary>
    public string WithOriginalSignature() => $"{SigningInput()}.{Signature}";

    /// <summary>The token with no signature at all (as "alg": "none" would have it).</summary>
    public string Unsigned() => $"{SigningInput()}.";

    public string SignedWith(byte[] key) =>
        $"{SigningInput()}.{Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(SigningInput())))}";

    public Jwt With(Action<JsonObject> change)
    {
        var payload = Payload.DeepClone().AsObject();
        change(payload);
        return this with { Payload = payload };
    }

    public Jwt WithHeader(Action<JsonObject> change)
    {
        var header = Header.DeepClone().AsObject();
        change(header);
        return this with { Header = header };
    }

    public static long Seconds(DateTimeOffset moment) => moment.ToUnixTimeSeconds();

    private string SigningInput() =>
        $"{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Header.ToJsonString()))}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Payload.ToJsonString()))}";
}

/// <summary>Speaks plain RESP to the embedded store, as any process on the host could.</summary>
public static class RawStore
{
    /// <summary>Sends one command and returns the first line of the store's answer.</summary>
    public static async Task<string> FirstLineAsync(int port, params string[] command)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var stream = tcp.GetStream();
        var request = new StringBuilder($"*{command.Length}\r\n");
        foreach (var part in command)
            request.Append($"${Encoding.UTF8.GetByteCount(part)}\r\n{part}\r\n");
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()));
        var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadLineAsync() ?? "(connection closed)";
    }
}
