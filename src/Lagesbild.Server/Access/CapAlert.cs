using System.Globalization;
using System.Xml.Linq;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;

namespace Lagesbild.Server.Access;

/// <summary>
/// A public message about a trygghetspunkt as a CAP 1.2 alert (OASIS Common Alerting Protocol,
/// the format Krisinformation.se and VMA use). It is built only from what residents may see
/// (<see cref="PublicSafetyPoint"/>), so nothing internal can reach it; an exercise's messages
/// always have the status Exercise.
/// </summary>
public static class CapAlert
{
    public static readonly XNamespace Cap = "urn:oasis:names:tc:emergency:cap:1.2";

    /// <summary>What residents should hear about the change from <paramref name="before"/> to <paramref name="after"/>, or null when nothing.</summary>
    /// <param name="before">The point as residents saw it before; null when they could not (not in operation).</param>
    /// <param name="after">The point as residents see it now; null when it is no longer in operation.</param>
    public static (string MsgType, string Headline)? WhatChanged(PublicSafetyPoint? before, PublicSafetyPoint? after)
    {
        if (before is null && after is null)
            return null;
        if (before is null)
            return ("Alert", $"{Describe(after!.Status, capital: true)}: trygghetspunkt {after.Name}");
        if (after is null)
            return ("Cancel", $"Stängd: trygghetspunkt {before.Name}");
        if (before.Status != after.Status)
            return ("Update", $"{Describe(after.Status, capital: true)}: trygghetspunkt {after.Name}");
        if (before.Full != after.Full)
            return ("Update", after.Full ? $"Fullt just nu: trygghetspunkt {after.Name}" : $"Det finns plats igen: trygghetspunkt {after.Name}");
        if (before.Limitations != after.Limitations || !before.Offers.SequenceEqual(after.Offers) || before.ResidentInfo != after.ResidentInfo
            || before.Name != after.Name || before.Address != after.Address || before.Lon != after.Lon || before.Lat != after.Lat)
            return ("Update", $"Ändrade uppgifter: trygghetspunkt {after.Name}");
        return null;
    }

    public static XDocument Build(string picture, string identifier, DateTimeOffset sent, string msgType, string headline,
        PublicSafetyPoint point, string? references, Uri publicPage, string sender)
    {
        var exercise = PictureId.IsExercise(picture);
        var description = string.Join("\n", new[]
        {
            $"Status: {Describe(point.Status, capital: true)}.",
            point.Limitations is { } limited ? $"Begränsningar: {limited}" : null,
            point.Full ? "Fullt just nu." : null,
            point.Offers.Length > 0 ? $"Här finns: {string.Join(", ", point.Offers.Select(Offer))}." : null,
            point.ResidentInfo.OpeningHours is { } hours ? $"Öppettider: {hours}" : null,
            point.ResidentInfo.Directions is { } directions ? $"Hitta hit: {directions}" : null,
            point.Example ? "Exempel – inte en riktig trygghetspunkt." : null,
        }.OfType<string>());
        var alert = new XElement(Cap + "alert",
            new XElement(Cap + "identifier", identifier),
            new XElement(Cap + "sender", sender),
            new XElement(Cap + "sent", Time(sent)),
            new XElement(Cap + "status", exercise ? "Exercise" : "Actual"),
            new XElement(Cap + "msgType", msgType),
            new XElement(Cap + "scope", "Public"),
            exercise ? new XElement(Cap + "note", $"ÖVNING – övningen {picture}, inte det verkliga läget") : null,
            references is null ? null : new XElement(Cap + "references", references),
            new XElement(Cap + "info",
                new XElement(Cap + "language", "sv-SE"),
                new XElement(Cap + "category", "Safety"),
                new XElement(Cap + "event", "Trygghetspunkt"),
                new XElement(Cap + "urgency", "Unknown"),
                new XElement(Cap + "severity", "Minor"),
                new XElement(Cap + "certainty", "Observed"),
                new XElement(Cap + "senderName", "Stockholms stad"),
                new XElement(Cap + "headline", exercise ? $"ÖVNING: {headline}" : headline),
                new XElement(Cap + "description", description),
                msgType == "Cancel" ? null : new XElement(Cap + "instruction", $"Trygghetspunkten finns på {point.Address}."),
                new XElement(Cap + "web", publicPage.ToString()),
                new XElement(Cap + "area",
                    new XElement(Cap + "areaDesc", point.Address),
                    // A point, as CAP writes it: "lat,lon radius-in-km".
                    new XElement(Cap + "circle", FormattableString.Invariant($"{point.Lat:0.######},{point.Lon:0.######} 0")))));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), alert);
    }

    /// <summary>CAP's time: seconds and an explicit offset, never "Z".</summary>
    public static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

    private static string Describe(SafetyPointStatus status, bool capital)
    {
        var text = SafetyPointRules.Describe(status);
        return capital ? char.ToUpper(text[0], CultureInfo.GetCultureInfo("sv-SE")) + text[1..] : text;
    }

    private static string Offer(Capability capability) => capability switch
    {
        Capability.Information => "information",
        Capability.Charging => "laddning av telefon och dator",
        Capability.DrinkingWater => "dricksvatten",
        Capability.Heat => "värme",
        Capability.Food => "mat",
        Capability.Toilets => "toaletter",
        Capability.Shower => "dusch",
        Capability.FirstAid => "första hjälpen",
        Capability.CrisisSupport => "krisstöd",
        Capability.Call112 => "möjlighet att ringa 112",
        Capability.Rest => "vila",
        Capability.OvernightStay => "övernattning",
        _ => capability.ToString(),
    };
}
