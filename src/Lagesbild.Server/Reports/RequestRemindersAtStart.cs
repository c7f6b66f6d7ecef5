using System.Text.Json;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using Lagesbild.Grains.Picture;
using Lagesbild.Grains.Reports;
using Orleans.Runtime;

namespace Lagesbild.Server.Reports;

/// <summary>
/// A begäran's reminder waits in its grain's timer, which a restart loses. When this node has joined
/// the cluster, every begäran still waiting for its reminder (in every picture) is woken, and the grain
/// arms its timer again from its stored state; a reminder already sent is in that state, so it is never
/// sent twice. A node that starts beside others wakes the same grains: waking an active grain changes nothing.
/// </summary>
public sealed class RequestRemindersAtStart(
    PictureStore store, IGrainFactory grains, TimeProvider clock, ILogger<RequestRemindersAtStart> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan[] Retries = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)];

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(RequestRemindersAtStart), ServiceLifecycleStage.Active, stopping =>
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
                    var now = clock.GetUtcNow();
                    foreach (var (id, record) in await store.ReadRecordsAsync(new PictureKeys(picture), EntityKind.ReportRequest))
                    {
                        if (!Waiting(record, now))
                            continue;
                        await grains.GetGrain<IReportRequestGrain>(EntityKey.Of(picture, id)).Record();
                        woken++;
                    }
                }
                logger.LogInformation("Woke {Count} begäran waiting for their reminder", woken);
                return;
            }
            catch (Exception error) when (!stopping.IsCancellationRequested && attempt < Retries.Length)
            {
                logger.LogWarning(error, "Could not wake the begäran waiting for their reminder; trying again");
                await Task.Delay(Retries[attempt], clock, stopping);
            }
            catch (Exception error) when (!stopping.IsCancellationRequested)
            {
                logger.LogError(error, "Could not wake the begäran waiting for their reminder; they are reminded when next used");
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
