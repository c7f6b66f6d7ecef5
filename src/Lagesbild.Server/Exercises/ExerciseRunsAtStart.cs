using Lagesbild.Domain.Exercises;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Exercises;
using Lagesbild.Grains.Picture;
using Orleans.Runtime;

namespace Lagesbild.Server.Exercises;

/// <summary>
/// An exercise's delivery waits in its grain's timer, which a restart loses. When this node has joined the
/// cluster, every exercise that has started and not ended is woken, and its grain arms the timer again from
/// the stored run: an inspel delivered before the restart is in that state (and its message found by its
/// command id), so none is delivered twice. Another node starting wakes the same grain: that changes nothing.
/// </summary>
public sealed class ExerciseRunsAtStart(PictureStore store, IGrainFactory grains, TimeProvider clock, ILogger<ExerciseRunsAtStart> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan[] Retries = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)];

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ExerciseRunsAtStart), ServiceLifecycleStage.Active, stopping =>
        {
            // Not awaited: the node's start does not wait for the exercises.
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
                foreach (var picture in (await store.ListPicturesAsync()).Where(PictureId.IsExercise))
                {
                    foreach (var (id, record) in await store.ReadRecordsAsync(new PictureKeys(picture), EntityKind.Exercise))
                    {
                        if (ExerciseGrain.StateOf(record)?.Clock.State is not (ClockState.Running or ClockState.Paused))
                            continue;
                        await grains.GetGrain<IExerciseGrain>(EntityKey.Of(picture, id)).Record();
                        woken++;
                    }
                }
                logger.LogInformation("Woke {Count} exercises under way", woken);
                return;
            }
            catch (Exception error) when (!stopping.IsCancellationRequested && attempt < Retries.Length)
            {
                logger.LogWarning(error, "Could not wake the exercises under way; trying again");
                await Task.Delay(Retries[attempt], clock, stopping);
            }
            catch (Exception error) when (!stopping.IsCancellationRequested)
            {
                logger.LogError(error, "Could not wake the exercises under way; each delivers when next used");
                return;
            }
        }
    }
}
