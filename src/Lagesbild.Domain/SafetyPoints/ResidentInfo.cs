using System.Text.Json.Serialization;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.SafetyPoints;

/// <summary>
/// What residents are told about a trygghetspunkt, in words, beside where it is and what it offers.
/// Everything in here is public: the public view and the operators' page show it whole.
/// </summary>
/// <remarks>
/// Adding a field: a parameter here and its line in <see cref="Fields"/>; then refresh the
/// contract and give it a label and an input in the page (README, "Adding a field").
/// In a command each field is a correction: null leaves it as it is, "" clears it.
/// </remarks>
/// <param name="OpeningHours">As residents read them: "dygnet runt", "08–20, helger 10–16".</param>
/// <param name="Directions">How to find the way in, in the dark and without a phone: "ingång från torget, följ skyltarna".</param>
public sealed record ResidentInfo(string? OpeningHours = null, string? Directions = null)
{
    private sealed record Field(string Name, int MaxLength, Func<ResidentInfo, string?> Get, Func<ResidentInfo, string?, ResidentInfo> Set);

    private static readonly Field[] Fields =
    [
        new("openingHours", 100, i => i.OpeningHours, (i, v) => i with { OpeningHours = v }),
        new("directions", 300, i => i.Directions, (i, v) => i with { Directions = v }),
    ];

    public static readonly ResidentInfo None = new();

    /// <summary>The longest text a field may hold, by its name on the wire.</summary>
    public static int MaxLength(string field) => Fields.Single(f => f.Name == field).MaxLength;

    [JsonIgnore]
    public bool IsEmpty => this == None;

    public void Check(Problems problems, string prefix)
    {
        foreach (var field in Fields)
            problems.Text($"{prefix}.{field.Name}", field.Get(this), field.MaxLength);
    }

    /// <summary>As kept: each text trimmed, and none when blank.</summary>
    public ResidentInfo Cleaned() => Fields.Aggregate(this, (info, f) => f.Set(info, Clean(f.Get(info))));

    /// <summary>This with the given corrections applied: a null field leaves it, "" clears it.</summary>
    public ResidentInfo With(ResidentInfo corrections) =>
        Fields.Aggregate(this, (info, f) => f.Get(corrections) is { } given ? f.Set(info, Clean(given)) : info);

    /// <summary>What changed from <paramref name="before"/> to this: the new text, "" when cleared, null when the same.</summary>
    public ResidentInfo ChangedFrom(ResidentInfo before) =>
        Fields.Aggregate(None, (changes, f) => f.Get(this) == f.Get(before) ? changes : f.Set(changes, f.Get(this) ?? ""));

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
