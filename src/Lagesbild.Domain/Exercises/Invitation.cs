using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Exercises;

/// <summary>
/// Who is invited to an exercise, by role: a role of the crisis organisation and, for a district
/// or a sector role, which one; optionally who is meant (a staff, a person).
/// </summary>
public sealed record Invitation(string? Role, string? District = null, string? Sector = null, string? Name = null)
{
    public const int MaxInvitations = 200;

    /// <summary>The one check of an exercise's invitations, field names as the request has them (<c>participants[2].district</c>).</summary>
    public static void Check(Problems problems, IReadOnlyList<Invitation>? invitations, IAreas areas)
    {
        if (invitations is null)
            return;
        if (invitations.Count > MaxInvitations)
            problems.Add("participants", $"Högst {MaxInvitations} inbjudningar (är {invitations.Count}).");
        for (var i = 0; i < invitations.Count && i < MaxInvitations; i++)
        {
            var field = $"participants[{i}]";
            var invitation = invitations[i];
            if (invitation is null)
            {
                problems.Add(field, "Måste anges.");
                continue;
            }
            if (invitation.Role is null || !Roles.All.Contains(invitation.Role) || invitation.Role == Roles.Public)
                problems.Add($"{field}.role", $"Okänd roll. Tillåtna: {string.Join(", ", Roles.All.Where(r => r != Roles.Public))}.");
            if (invitation.Role == Roles.District && (invitation.District is null || !areas.DistrictExists(invitation.District)))
                problems.Add($"{field}.district", "En stadsdelsförvaltning bjuds in med sitt stadsdelsområdes id, t.ex. farsta.");
            if (invitation.Role != Roles.District && invitation.District is not null)
                problems.Add($"{field}.district", "Bara rollen district har ett stadsdelsområde.");
            if (invitation.Role == Roles.Sector && !EntityRef.IsValidId(invitation.Sector))
                problems.Add($"{field}.sector", "En sektorsansvarig bjuds in med sektorns id.");
            if (invitation.Role != Roles.Sector && invitation.Sector is not null)
                problems.Add($"{field}.sector", "Bara rollen sector har en sektor.");
            problems.Text($"{field}.name", invitation.Name, 200);
        }
    }
}
