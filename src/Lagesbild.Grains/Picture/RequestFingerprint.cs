using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Grains.Picture;

/// <summary>
/// What makes two requests the same request: the entity, the command with every field, and
/// who sent it. Stored with the command id, so that a retry (same id, same request) is
/// answered as the first time, and an id reused for a different request is refused instead
/// of quietly answered with the other change.
/// </summary>
public static class RequestFingerprint
{
    public static string Of(EntityRef entity, Command command, Actor actor)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{entity}\n{command.GetType().Name}\n{actor.Name}\n{actor.Role}\n{actor.District}\n{actor.Sector}\n"));
        hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(command, command.GetType(), DomainJson.Options));
        return Convert.ToHexStringLower(hash.GetHashAndReset().AsSpan(0, 16));
    }
}
