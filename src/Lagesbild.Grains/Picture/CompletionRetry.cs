using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.Picture;

/// <summary>
/// Lagesbild's own completion of what a stored change still owes (a level step's beslut, a report's answer to
/// its begäran): a grain timer that runs <paramref name="complete"/>, and after a failure tries again with a
/// wait that doubles up to a minute. Kept alive only while a try waits for the store; the look at activation
/// lets the grain go as any other. <paramref name="complete"/> must be safe to run twice (its command ids
/// follow from what it completes).
/// </summary>
public sealed class CompletionRetry(IGrainBase grain, Func<Task> complete, ILogger logger, string what)
{
    public static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(1);

    private IGrainTimer? _timer;
    private TimeSpan _wait = FirstWait;

    public void Arm(TimeSpan due, bool keepAlive)
    {
        _timer?.Dispose();
        _timer = grain.RegisterGrainTimer(RunAsync, new GrainTimerCreationOptions { DueTime = due, Period = Timeout.InfiniteTimeSpan, KeepAlive = keepAlive });
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        // The timer is disposed after the work, not before: disposing it cancels the token the work runs under.
        try
        {
            await complete();
            _wait = FirstWait;
            _timer?.Dispose();
            _timer = null;
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(error, "Could not complete {What} yet; trying again in {Wait}", what, _wait);
            Arm(_wait, keepAlive: true);
            _wait = _wait * 2 < LongestWait ? _wait * 2 : LongestWait;
        }
    }
}
