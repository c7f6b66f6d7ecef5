using System.Security.Claims;
using System.Security.Cryptography;
using Lagesbild.Domain.Picture;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using StackExchange.Redis;

namespace Lagesbild.Server.Access;

/// <summary>A named demo user of the development sign-in.</summary>
public sealed record DevUser(string Id, string Name, string Role, string? District, string? Sector, string Title);

/// <summary>
/// The development sign-in: named demo users for every role, tokens signed with a key that
/// lives in the store (so every node of a cluster, and every restart, accepts them). It
/// refuses to run in Production.
/// </summary>
public sealed class DevSignIn
{
    public const string Issuer = "lagesbild-development";
    private static readonly RedisKey KeyName = "lagesbild:dev-signing-key";

    public static readonly IReadOnlyList<DevUser> Users =
    [
        new("anna", "Anna Berg", Roles.Central, null, null, "Central krisledning"),
        new("per", "Per Lind", Roles.DutyOfficer, null, null, "Tjänsteperson i beredskap, TiB"),
        new("sara", "Sara Ek", Roles.District, "farsta", null, "Farsta stadsdelsförvaltning"),
        new("omar", "Omar Haddad", Roles.District, "sodermalm", null, "Södermalms stadsdelsförvaltning"),
        new("lena", "Lena Ström", Roles.Sector, null, "energiforsorjning", "Sektor energiförsörjning"),
        new("polis", "Polisregion Stockholm", Roles.Observer, null, null, "Samverkanspartner – ser, ändrar inte"),
        new("allmanhet", "Allmänheten", Roles.Public, null, null, "Invånare – bara den publika vyn"),
    ];

    private DevSignIn(SymmetricSecurityKey key) => Key = key;

    public SymmetricSecurityKey Key { get; }

    public static DevSignIn Create(IConnectionMultiplexer redis, IHostEnvironment environment)
    {
        if (environment.IsProduction())
        {
            throw new InvalidOperationException(
                "Utvecklingsinloggningen får inte användas i Production. Ange stadens identitetsleverantör i Lagesbild:Auth:Authority " +
                "(och Lagesbild:Auth:Audience), eller kör med ASPNETCORE_ENVIRONMENT=Development.");
        }
        var db = redis.GetDatabase();
        db.StringSet(KeyName, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), when: When.NotExists);
        return new DevSignIn(new SymmetricSecurityKey(Convert.FromBase64String(db.StringGet(KeyName)!)));
    }

    public string Issue(DevUser user, string audience, TimeSpan lifetime)
    {
        var claims = new List<Claim>
        {
            new("sub", "dev:" + user.Id),
            new("name", user.Name),
            new("roles", user.Role),
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
