namespace Lagesbild.IdentityProvider;

/// <summary>A person the demo provider knows, with the claims the city's provider would give them.</summary>
public sealed record DemoPerson(string Id, string Name, string Role, string? District = null, string? Sector = null)
{
    public string Subject => "stad:" + Id;
}

/// <summary>The demo provider's people: one for each of Lagesbild's roles, as the development sign-in has them.</summary>
public static class DemoPeople
{
    public static readonly IReadOnlyList<DemoPerson> All =
    [
        new("anna", "Anna Berg", "central"),
        new("per", "Per Lind", "tib"),
        new("sara", "Sara Ek", "district", District: "farsta"),
        new("omar", "Omar Haddad", "district", District: "sodermalm"),
        new("lena", "Lena Ström", "sector", Sector: "energiforsorjning"),
        new("polis", "Polisregion Stockholm", "observer"),
        new("allmanhet", "Allmänheten", "public"),
    ];

    public static DemoPerson? Find(string? id) => All.FirstOrDefault(p => p.Id == id);
}
