using System.Security.Claims;
using Lagesbild.Domain.Picture;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Access;

/// <summary>Turns a signed-in person's claims into the actor the domain and the loggbok know.</summary>
public sealed class Actors(IOptions<AuthOptions> options)
{
    /// <summary>
    /// The signed-in person, or null when nobody is signed in or the token's roles are
    /// ambiguous (every policy refuses such a token, see <see cref="RoleRequirement"/>).
    /// </summary>
    public Actor? Of(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
            return null;
        var auth = options.Value;
        if (RoleOf(user, auth) is not { } role)
            return null;
        var name = user.FindFirstValue(auth.NameClaim) ?? user.FindFirstValue("sub") ?? "okänd";
        return new Actor(name, role, user.FindFirstValue(auth.DistrictClaim), user.FindFirstValue(auth.SectorClaim));
    }

    /// <summary>The Lagesbild roles the person's role claims map to (<see cref="AuthOptions.RoleMap"/>), each once.</summary>
    public static string[] RolesOf(ClaimsPrincipal user, AuthOptions auth) =>
        user.FindAll(auth.RoleClaim).Select(c => auth.RoleMap.GetValueOrDefault(c.Value)).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// The person's one role: public when no claim maps to a role, null when the claims map to
    /// several. Such a token is refused rather than resolved, so that what a person may do
    /// never depends on the order in which the provider lists the claims.
    /// </summary>
    public static string? RoleOf(ClaimsPrincipal user, AuthOptions auth) => RolesOf(user, auth) switch
    {
        [] => Roles.Public,
        [var one] => one,
        _ => null,
    };

    /// <summary>The refusal of a token whose claims give several roles, naming them.</summary>
    public static string SeveralRoles(ClaimsPrincipal user, AuthOptions auth) =>
        $"Inloggningen ger flera roller i Lagesbild ({string.Join(", ", RolesOf(user, auth))}), men en person har exakt en. " +
        "Be den som administrerar inloggningen att ge dig en enda roll.";
}
