using System.Security.Claims;
using Lagesbild.Domain.Picture;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Access;

/// <summary>Turns a signed-in person's claims into the actor the domain and the loggbok know.</summary>
public sealed class Actors(IOptions<AuthOptions> options)
{
    public Actor? Of(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
            return null;
        var auth = options.Value;
        var role = user.FindAll(auth.RoleClaim).Select(c => auth.RoleMap.GetValueOrDefault(c.Value)).FirstOrDefault(r => r is not null)
            ?? Roles.Public;
        var name = user.FindFirstValue(auth.NameClaim) ?? user.FindFirstValue("sub") ?? "okänd";
        return new Actor(name, role, user.FindFirstValue(auth.DistrictClaim), user.FindFirstValue(auth.SectorClaim));
    }
}
