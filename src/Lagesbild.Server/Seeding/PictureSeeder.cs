using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lagesbild.Domain.City;
using Lagesbild.Domain.CrisisBodies;
using Lagesbild.Domain.Districts;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Domain.Sectors;
using Lagesbild.Grains.Picture;
using Lagesbild.Server.Geo;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Seeding;

/// <summary>Whether a new picture also gets the demo trygghetspunkter from maps/demo.</summary>
public sealed class SeedOptions
{
    public const string Section = "Lagesbild:Seed";

    public bool DemoData { get; set; } = true;
}

/// <summary>
/// Gives a picture the city's configuration — the city, its districts, sectors and crisis
/// bodies, and (for demos) the example trygghetspunkter — through the same commands an
/// operator uses, so it is all in the loggbok. Safe to run on every node at every start:
/// each registration has a fixed command id, so a repeat is recognised and changes nothing.
/// </summary>
public sealed class PictureSeeder(CommandBus bus, PictureStore store, Areas areas, IOptions<MapOptions> map, IOptions<SeedOptions> seed, ILogger<PictureSeeder> logger)
{
    public async Task SeedAsync(string picture, CancellationToken cancellationToken = default)
    {
        var keys = new PictureKeys(picture);
        if (await store.IsSeededAsync(keys))
            return;
        var commands = Configuration().ToList();
        // The registrations are independent (each is its own grain), so they go out together:
        // the store commits them in a few batches instead of one fsync after another, which is
        // most of a first start. The configuration goes first, then the points.
        foreach (var wave in commands.GroupBy(c => c.Command is RegisterSafetyPoint).OrderBy(g => g.Key))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.WhenAll(wave.Select(async c =>
            {
                var result = await bus.SendAsync(picture, c.Target, c.Command, Actor.System, FixedId(picture, c.Command.Kind, c.Target));
                if (result.Refusal is { Kind: not RefusalKind.Conflict } refusal)
                    throw new InvalidOperationException($"Could not seed {c.Command.Kind}/{c.Target} in {picture}: {refusal.Reason} {JsonSerializer.Serialize(refusal.Errors)}");
            }));
        }
        await store.TryMarkSeededAsync(keys);
        logger.LogInformation("Picture {Picture} seeded with {Count} registrations", picture, commands.Count);
    }

    /// <summary>Creates an exercise picture; false when it already exists.</summary>
    public async Task<bool> CreateExerciseAsync(string picture)
    {
        if (await store.IsSeededAsync(new PictureKeys(picture)))
            return false;
        await SeedAsync(picture);
        return true;
    }

    private IEnumerable<(string Target, Command Command)> Configuration()
    {
        var directory = map.Value.Directory;
        yield return (CityRules.Id, new RegisterCity("Stockholms stad"));
        foreach (var id in areas.Map.Ids.Order(StringComparer.Ordinal))
            yield return (id, new RegisterDistrict(areas.Map.Name(id)));

        using (var sectors = Read(Path.Combine(directory, "config", "sectors.json")))
        {
            foreach (var sector in sectors.RootElement.GetProperty("sectors").EnumerateArray())
                yield return (sector.GetProperty("id").GetString()!, new RegisterSector(sector.GetProperty("name").GetString(), sector.GetProperty("leadBody").GetString()));
        }

        using (var bodies = Read(Path.Combine(directory, "config", "crisis-bodies.json")))
        {
            foreach (var body in bodies.RootElement.GetProperty("crisisBodies").EnumerateArray())
            {
                yield return (body.GetProperty("id").GetString()!, new RegisterCrisisBody(
                    body.GetProperty("name").GetString(),
                    Enum.Parse<CrisisBodyKind>(body.GetProperty("kind").GetString()!),
                    body.TryGetProperty("district", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null));
            }
        }

        if (!seed.Value.DemoData)
            yield break;
        using var points = Read(Path.Combine(directory, "demo", "safety-points.json"));
        foreach (var point in points.RootElement.GetProperty("safetyPoints").EnumerateArray())
        {
            var position = point.GetProperty("position");
            yield return (point.GetProperty("id").GetString()!, new RegisterSafetyPoint(
                point.GetProperty("district").GetString(),
                point.GetProperty("name").GetString(),
                point.GetProperty("address").GetString(),
                new GeoPosition(position.GetProperty("lon").GetDouble(), position.GetProperty("lat").GetDouble()),
                point.GetProperty("tier").GetInt32(),
                point.GetProperty("capacity").GetInt32(),
                point.GetProperty("capabilities").EnumerateArray().Select(c => Enum.Parse<Capability>(c.GetString()!)).ToImmutableArray(),
                point.TryGetProperty("backupPower", out var power) && power.GetBoolean(),
                point.TryGetProperty("example", out var example) && example.GetBoolean())
            {
                Reason = example.GetBoolean()
                    ? "Exempel för demo (påhittad punkt)"
                    : $"Känd trygghetspunkt, källa: {point.GetProperty("source").GetString()}",
            });
        }

        using var resources = Read(Path.Combine(directory, "demo", "resources.json"));
        foreach (var resource in resources.RootElement.GetProperty("resources").EnumerateArray())
        {
            var depot = resource.GetProperty("depot");
            var position = depot.GetProperty("position");
            yield return (resource.GetProperty("id").GetString()!, new Domain.Resources.RegisterResource(
                Enum.Parse<Domain.Resources.ResourceKind>(resource.GetProperty("kind").GetString()!),
                resource.GetProperty("name").GetString(),
                new Domain.Resources.Depot(depot.GetProperty("name").GetString(), new GeoPosition(position.GetProperty("lon").GetDouble(), position.GetProperty("lat").GetDouble())))
            {
                Reason = "Exempel för demo (påhittad resurs)",
            });
        }
    }

    private static JsonDocument Read(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonDocument.Parse(stream);
    }

    private static Guid FixedId(string picture, EntityKind kind, string target) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"seed:{picture}:{kind}/{target}")).AsSpan(0, 16));
}

/// <summary>Seeds the live picture once the silo is up.</summary>
public sealed class LiveSeeding(PictureSeeder seeder, ILogger<LiveSeeding> logger) : BackgroundService
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Done => _done.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await seeder.SeedAsync(PictureId.Live, stoppingToken);
                _done.TrySetResult();
                return;
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(error, "Seeding the live picture failed; trying again");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }
}
