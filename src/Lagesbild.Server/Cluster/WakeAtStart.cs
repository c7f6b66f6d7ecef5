using System.Text.Json;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using Lagesbild.Grains.City;
using Lagesbild.Grains.Districts;
using Lagesbild.Grains.Picture;
using Lagesbild.Grains.Reports;
using Orleans.Runtime;

namespace Lagesbild.Server.Cluster;

/// <summary>
/// Work that waits in a grain's timer is lost when its node dies. When this node has joined the cluster,
/// the grains that may have such work are woken in every picture, and each takes it up again from what is
/// stored: a begäran still waiting for its reminder arms it anew (one sent already is in its state, so it
/// is never sent twice); the city and each district look for a level step whose beslut was never recorded.
/// A node that starts beside others wakes the same grains: waking an active grain changes nothing.
/// </summary>
public sealed class WakeAtStart(
    PictureStore store, IGrainFactory grains, TimeProvider clock, ILogger<WakeAtStart> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan[] Retries = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)];

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(WakeAtStart), ServiceLifecycleStage.Active, stopping =>
        {
            // Not awaited: a picture with many requests must not hold up the node's start.
            _ = WakeAsync(stopping);
            return Task.CompletedTask;
        });

    private async Task WakeAsync(CancellationToken stopping)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var woken = 0;
                foreach (var picture in await store.ListPicturesAsync())
                {
                    var keys = new PictureKeys(picture);
                    var now = clock.GetUtcNow();
                    foreach (var (id, record) in await store.ReadRecordsAsync(keys, EntityKind.ReportRequest))
                    {
                        if (!Waiting(record, now))
                            continue;
                        await grains.GetGrain<IReportRequestGrain>(EntityKey.Of(picture, id)).Record();
                        woken++;
                    }
                    foreach (var (id, _) in await store.ReadRecordsAsync(keys, EntityKind.City))
                    {
                        await grains.GetGrain<ICityGrain>(EntityKey.Of(picture, id)).Record();
                        woken++;
                    }
                    foreach (var (id, _) in await store.ReadRecordsAsync(keys, EntityKind.District))
                    {
                        await grains.GetGrain<IDistrictGrain>(EntityKey.Of(picture, id)).Record();
                        woken++;
                    }
                }
                logger.LogInformation("Woke {Count} grains that may have work waiting", woken);
                return;
            }
            catch (Exception error) when (!stopping.IsCancellationRequested && attempt < Retries.Length)
            {
                logger.LogWarning(error, "Could not wake the grains that may have work waiting; trying again");
                await Task.Delay(Retries[attempt], clock, stopping);
            }
            catch (Exception error) when (!stopping.IsCancellationRequested)
            {
                logger.LogError(error, "Could not wake the grains that may have work waiting; they take it up when next used");
                return;
            }
        }
    }

    private static bool Waiting(string record, DateTimeOffset now)
    {
        using var document = JsonDocument.Parse(record);
        var state = document.RootElement.GetProperty("state").Deserialize<ReportRequestState>(DomainJson.Options)!;
        return ReportRequestRules.AwaitsReminder(state, now);
    }
}
