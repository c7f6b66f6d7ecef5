using System.Text.Json;
using Lagesbild.Domain.Districts;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Grains.Picture;

namespace Lagesbild.Grains.Tests;

/// <summary>People and places the grain tests use: two of Farsta's and one of Södermalm's trygghetspunkter.</summary>
internal static class Samples
{
    public static readonly Actor Anna = new("Anna Berg", Roles.Central);

    public const string FarstaOffice = "farsta-storforsplan";
    public const string Hokarangen = "farsta-emma-hokarangen";
    public const string Medborgarplatsen = "sodermalm-medborgarplatsen";

    public static RegisterSafetyPoint RegisterFarstaOffice() =>
        new("farsta", "Farsta stadsdelsförvaltning", "Storforsplan 36", new GeoPosition(18.092, 59.2433), 2, 150,
            [Capability.Information, Capability.Charging, Capability.Heat], BackupPower: true, Example: false);

    public static RegisterSafetyPoint RegisterHokarangen() =>
        new("farsta", "Emma träfflokal", "Lingvägen 161", new GeoPosition(18.085, 59.256), 1, 60,
            [Capability.Information, Capability.Heat], BackupPower: false, Example: false);

    public static RegisterSafetyPoint RegisterMedborgarplatsen() =>
        new("sodermalm", "Södermalms stadsdelsförvaltning", "Medborgarplatsen 25", new GeoPosition(18.0725, 59.3138), 2, 200,
            [Capability.Information, Capability.Charging], BackupPower: true, Example: false);

    public static RegisterDistrict RegisterFarsta() => new("Farsta");

    public static ChangeSafetyPointStatus MoveTo(SafetyPointStatus status, string? limitations = null, string? reason = null) =>
        new(status, limitations) { Reason = reason };

    public static ReportSafetyPointResources Resources(int waterLitres) =>
        new(new BackupPower(true, 48), waterLitres, Staff: 4, FrgVolunteers: 6, Radios: 2);

    /// <summary>
    /// Sends as Anna (central krisledning); the city's configuration (districts, sectors,
    /// crisis bodies, the city) is registered as the system does it from maps/config.
    /// </summary>
    public static Task<CommandResult> SendAsync(this PictureCluster cluster, string picture, string target, Command command, Guid? commandId = null) =>
        cluster.Bus.SendAsync(picture, target, command, command.Creates && command is not RegisterSafetyPoint ? Actor.System : Anna, commandId);

    public static async Task<CommandResult> AcceptedAsync(this PictureCluster cluster, string picture, string target, Command command, Guid? commandId = null)
    {
        var result = await cluster.SendAsync(picture, target, command, commandId);
        Assert.True(result.IsAccepted, $"{command.GetType().Name} to {target} was refused: {result.Refusal}");
        return result;
    }

    public static JsonElement Json(string? text)
    {
        Assert.NotNull(text);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
