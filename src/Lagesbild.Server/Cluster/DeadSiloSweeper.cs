using System.Net.Sockets;
using Orleans.Runtime;

namespace Lagesbild.Server.Cluster;

/// <summary>
/// After every node was killed, the membership table still lists the dead silos as active,
/// and Orleans lets a starting silo join only once each of them is declared dead — which by
/// default takes about 90 s (their heartbeats must first go stale). This participant runs
/// while the silo is joining: a listed silo whose endpoint actively refuses connections is
/// provably not running, so it is declared dead through Orleans' own path
/// (<see cref="IClusterMembershipService.TryKill"/>: a vote written with the row's etag,
/// then gossiped). A silo that answers, or merely times out (a long GC pause, a network
/// hiccup), is left to Orleans' normal probing and is never touched.
/// </summary>
public sealed class DeadSiloSweeper(
    IClusterMembershipService membership,
    ILocalSiloDetails self,
    ILogger<DeadSiloSweeper> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(300);

    public void Participate(ISiloLifecycle lifecycle) =>
        // After the table is initialised and this silo is Joining; before the check that
        // every active silo answers.
        lifecycle.Subscribe(nameof(DeadSiloSweeper), ServiceLifecycleStage.AfterRuntimeGrainServices + 1, start =>
        {
            _ = SweepUntilActiveAsync(start);
            return Task.CompletedTask;
        });

    private async Task SweepUntilActiveAsync(CancellationToken stopping)
    {
        var suspects = new Dictionary<SiloAddress, int>();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await membership.Refresh(default, stopping);
                var snapshot = membership.CurrentSnapshot;
                if (snapshot.GetSiloStatus(self.SiloAddress) == SiloStatus.Active)
                    return;
                foreach (var (silo, member) in snapshot.Members)
                {
                    if (silo.Equals(self.SiloAddress) || member.Status is not (SiloStatus.Active or SiloStatus.Joining or SiloStatus.ShuttingDown or SiloStatus.Stopping))
                        continue;
                    // A newer generation at the same endpoint means this process was restarted:
                    // the old one is gone, even though the endpoint answers (the new one does).
                    if (snapshot.Members.Keys.Any(other => other.Endpoint.Equals(silo.Endpoint) && other.Generation > silo.Generation))
                    {
                        logger.LogWarning("Silo {Silo} was restarted (a newer generation is listed); declaring the old one dead", silo);
                        await membership.TryKill(silo);
                        continue;
                    }
                    if (!await RefusesConnectionsAsync(silo, stopping))
                    {
                        suspects.Remove(silo);
                        continue;
                    }
                    // Refused twice, 300 ms apart: not a process restarting its listener.
                    suspects[silo] = suspects.GetValueOrDefault(silo) + 1;
                    if (suspects[silo] < 2)
                        continue;
                    logger.LogWarning("Silo {Silo} is listed as {Status} but refuses connections; declaring it dead", silo, member.Status);
                    await membership.TryKill(silo);
                }
            }
            catch (Exception error) when (!stopping.IsCancellationRequested)
            {
                logger.LogDebug(error, "Sweeping dead silos failed; trying again");
            }
            await Task.Delay(Interval, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static async Task<bool> RefusesConnectionsAsync(SiloAddress silo, CancellationToken stopping)
    {
        using var socket = new Socket(silo.Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await socket.ConnectAsync(silo.Endpoint, timeout.Token);
            return false;
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
        catch (Exception)
        {
            // A timeout or anything else proves nothing.
            return false;
        }
    }
}
