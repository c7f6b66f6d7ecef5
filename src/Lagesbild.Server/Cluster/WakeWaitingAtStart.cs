using System.Text.Json;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Picture;
using Orleans.Runtime;

namespace Lagesbild.Server.Cluster;

/// <summary>
/// A grain that waits for a moment (a begäran's reminder, an alert's next wave) waits in its timer, which a
/// restart loses. When this node has joined the cluster, every such grain (in every picture) is woken, and
/// it arms its timer again from its stored state; what was already sent is in that state, so it is never sent
/// twice. A node that starts beside others wakes the same grains: waking an active grain changes nothing.
/// </summary>
public abstract class WakeWaitingAtStart<TState>(PictureStore store, TimeProvider clock, ILogger logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan[] Retries = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)];

    protected abstract EntityKind Kind { get; }

    /// <summary>What waits, for the log: "begäran waiting for their reminder".</summary>
    protected abstract string Waiters { get; }

    protected abstract bool Waiting(TState state, DateTimeOffset now);

    /// <summary>Activates the grain (any call does), which arms its timer.</summary>
    protected abstract Task WakeAsync(string key);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(GetType().Name, ServiceLifecycleStage.Active, stopping =>
        {
            // Not awaited: a picture with many waiting grains must not hold up the node's start.
            _ = WakeAllAsync(stopping);
            return Task.CompletedTask;
        });

    private async Task WakeAllAsync(CancellationToken stopping)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var woken = 0;
                foreach (var picture in await store.ListPicturesAsync())
                {
                    var now = clock.GetUtcNow();
                    foreach (var (id, record) in await store.ReadRecordsAsync(new PictureKeys(picture), Kind))
                    {
                        using var document = JsonDocument.Parse(record);
                        if (!Waiting(document.RootElement.GetProperty("state").Deserialize<TState>(DomainJson.Options)!, now))
                            continue;
                        await WakeAsync(EntityKey.Of(picture, id));
                        woken++;
                    }
                }
                logger.LogInformation("Woke {Count} {Waiters}", woken, Waiters);
                return;
            }
            catch (Exception error) when (!stopping.IsCancellationRequested && attempt < Retries.Length)
            {
                logger.LogWarning(error, "Could not wake the {Waiters}; trying again", Waiters);
                await Task.Delay(Retries[attempt], clock, stopping);
            }
            catch (Exception error) when (!stopping.IsCancellationRequested)
            {
                logger.LogError(error, "Could not wake the {Waiters}; they wake when next used", Waiters);
                return;
            }
        }
    }
}
