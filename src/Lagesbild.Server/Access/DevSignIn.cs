using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Lagesbild.Domain.Picture;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using StackExchange.Redis;

namespace Lagesbild.Server.Access;

/// <summary>A named demo user of the development sign-in.</summary>
public sealed record DevUser(string Id, string Name, string Role, string? District, string? Sector, string Title);

/// <summary>
/// The development sign-in: named demo users for every role, tokens signed with a key that
/// the store never sees (anything that can reach the store could otherwise sign tokens of
/// its own). The key is given by setting, or generated once and kept in an owner-only file
/// in the data directory, so every restart accepts the tokens issued before it. It runs only
/// when asked for, in Development (<see cref="AuthOptions.StartRefusal"/>).
/// </summary>
public sealed class DevSignIn
{
    public const string Issuer = "lagesbild-development";
    public const string KeyFileName = "dev-signing-key";
    /// <summary>Where earlier versions kept the key: in the store, readable by anyone who could reach it.</summary>
    private static readonly RedisKey FormerStoreKey = "lagesbild:dev-signing-key";

    public static readonly IReadOnlyList<DevUser> Users =
    [
        new("anna", "Anna Berg", Roles.Central, null, null, "Central krisledning"),
        new("per", "Per Lind", Roles.DutyOfficer, null, null, "Tjänsteperson i beredskap, TiB"),
        new("sara", "Sara Ek", Roles.District, "farsta", null, "Farsta stadsdelsförvaltning"),
        new("omar", "Omar Haddad", Roles.District, "sodermalm", null, "Södermalms stadsdelsförvaltning"),
        new("lena", "Lena Ström", Roles.Sector, null, "energiforsorjning", "Sektor energiförsörjning"),
        new("polis", "Polisregion Stockholm", Roles.Observer, null, null, "Samverkanspartner – ser, ändrar inte"),
        new("allmanhet", "Allmänheten", Roles.Public, null, null, "Invånare – bara den publika vyn"),
        new("eva", "Eva Holm", Roles.Chair, null, null, "Krisledningsnämndens ordförande"),
        new("utvarderare", "Ulla Vik", Roles.Evaluator, null, null, "Utvärderare i övningar – noterar, bedömer, ändrar inte lägesbilden"),
    ];

    private DevSignIn(SymmetricSecurityKey key) => Key = key;

    public SymmetricSecurityKey Key { get; }

    public static DevSignIn Create(AuthOptions auth, string dataDirectory, Task<IConnectionMultiplexer> store)
    {
        // Tidied away once the store is connected, which the start does not wait for here.
        _ = store.ContinueWith(connected => connected.Result.GetDatabase().KeyDeleteAsync(FormerStoreKey),
            CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        var key = string.IsNullOrEmpty(auth.DevelopmentSigningKey)
            ? ReadOrCreateKeyFile(Path.Combine(Path.GetFullPath(dataDirectory), KeyFileName))
            : ParseKey(auth.DevelopmentSigningKey)!;
        return new DevSignIn(new SymmetricSecurityKey(key));
    }

    /// <summary>The key from its base64 text, or null when it is not base64 of at least 32 bytes (HS256's minimum).</summary>
    public static byte[]? ParseKey(string base64)
    {
        var bytes = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, bytes, out var length) && length >= 32 ? bytes[..length] : null;
    }

    private static byte[] ReadOrCreateKeyFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            // Created with its final permissions, never readable by others, not even for a moment.
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                create.UnixCreateMode = ownerOnly;
            using var file = new FileStream(path, create);
            var key = RandomNumberGenerator.GetBytes(32);
            file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
            file.Flush(flushToDisk: true);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~ownerOnly) != 0)
                File.SetUnixFileMode(path, ownerOnly);
            return ParseKey(File.ReadAllText(path).Trim())
                ?? throw new InvalidOperationException($"{path} innehåller ingen giltig nyckel (base64 för minst 32 byte). Ta bort filen så skapas en ny.");
        }
    }

    public string Issue(DevUser user, string audience, TimeSpan lifetime)
    {
        var claims = new List<Claim>
        {
            new("sub", "dev:" + user.Id),
            new("name", user.Name),
            new("roles", user.Role),
            // Names this one token, so that signing out can end it (TokenRevocations).
            new("jti", Guid.NewGuid().ToString("N")),
        };
        if (user.District is not null)
            claims.Add(new Claim("district", user.District));
        if (user.Sector is not null)
            claims.Add(new Claim("sector", user.Sector));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = DateTime.UtcNow,
            NotBefore = DateTime.UtcNow,
            Expires = DateTime.UtcNow + lifetime,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
    }
}
