using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using Lagesbild.Domain.Alerts;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Alerts;
using Lagesbild.Grains.Picture;
using Lagesbild.Grains.Reports;
using Lagesbild.Server.Attention;
using Lagesbild.Server.Live;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Alerts;

/// <summary>
/// Runs the alert rules (<see cref="AlertCauses"/>) over every picture this node holds, behind the appends and
/// never in their way: it looks when a picture on this node has moved on (<see cref="PictureChanges"/>), and
/// a few times a second whether the rules said that time alone changes the answer now, and then raises and clears alerts through the command bus like any
/// other change. Every node that holds a picture judges it the same way and names each alert the same, so the
/// store keeps each alert once.
/// </summary>
public sealed class AlertWatch(
    PictureFeeds feeds,
    PictureChanges changes,
    CommandBus bus,
    AlertChains chains,
    IOptions<AlertOptions> options,
    IOptions<AttentionOptions> attention,
    IOptions<ReportingRhythmOptions> rhythm,
    TimeProvider clock,
    ILogger<AlertWatch> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    /// <summary>What the rules read: the things they judge, what the reporting rules need, and the alerts themselves.</summary>
    private static readonly FrozenSet<EntityKind> Judged =
    [
        EntityKind.City, EntityKind.District, EntityKind.Sector, EntityKind.SafetyPoint, EntityKind.Assignment,
        EntityKind.SituationReport, EntityKind.ReportRequest, EntityKind.Alert,
    ];

    private readonly AlertRuleSettings _settings = options.Value.ToSettings(attention.Value.ToThresholds(), rhythm.Value.ToRhythm());
    private readonly Dictionary<string, (long Seq, DateTimeOffset? ChangesAt)> _judged = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ParsedStates> _states = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
            return;
        try
        {
            while (true)
            {
                await changes.WaitAsync(Tick, clock, stoppingToken);
                foreach (var feed in feeds.Loaded)
                {
                    var now = clock.GetUtcNow();
                    if (_judged.TryGetValue(feed.Picture, out var last) && last.Seq == feed.Seq && !(last.ChangesAt <= now))
                        continue;
                    try
                    {
                        _judged[feed.Picture] = await JudgeAsync(feed, now);
                    }
                    catch (Exception error) when (error is not OperationCanceledException)
                    {
                        // The store away for a moment: judged again on the next tick (the ids keep it to one alert per cause).
                        logger.LogWarning(error, "Could not judge the alert rules of {Picture}", feed.Picture);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<(long, DateTimeOffset?)> JudgeAsync(PictureFeed feed, DateTimeOffset now)
    {
        var (seq, records) = feed.SourcedStates();
        if (!_states.TryGetValue(feed.Picture, out var parsed))
            _states[feed.Picture] = parsed = new ParsedStates(Judged.Contains);
        var states = parsed.Read(records);
        var (causes, changesAt) = AlertCauses.Judge(states, _settings, now);
        var alerts = states.Where(s => s.State is AlertState).Select(s => (s.Entity.Id, (AlertState)s.State)).ToArray();
        var plan = AlertCauses.Plan(causes, alerts, _settings.On);
        foreach (var (id, cause) in plan.Raise)
            await RaiseAsync(feed.Picture, id, cause);
        foreach (var id in plan.Clear)
        {
            var alert = alerts.First(a => a.Id == id).Item2;
            var rule = Enum.Parse<AlertRule>(alert.Cause.Rule);
            await SendAsync(feed.Picture, id, new ClearAlert(), rule, "clear");
        }
        // Our own raises and clears move the picture on; the next look sees them and finds nothing to do.
        return (seq, changesAt);
    }

    private async Task RaiseAsync(string picture, string id, AlertCause cause)
    {
        var duty = chains.DutyFor(cause.District);
        if (await chains.WaveAsync(picture, duty, 1) is not { } first)
            return;
        // An exercise's alerts say so wherever they are shown; they live in the exercise's picture alone.
        var title = PictureId.IsExercise(picture) ? $"ÖVNING – {cause.Title}" : cause.Title;
        var detail = $"{AlertCauses.Describe(cause.Rule)}: {cause.Title}. Orsak: {cause.Entity}, loggbokens nummer {cause.Seq}.";
        await SendAsync(picture, id, new RaiseAlert(title, detail, cause.Severity, cause.ToRef(), AlertCauses.Describe(cause.Rule), duty,
            first.To, first.EscalateAfterSeconds, cause.District), cause.Rule, "raise");
    }

    private async Task SendAsync(string picture, string id, AlertCommand command, AlertRule rule, string step)
    {
        // One command id per alert and step, so two nodes (or a retry) store it once.
        var commandId = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes($"{picture}/{id}\n{step}")).AsSpan(0, 16));
        var result = await bus.SendAsync(picture, id, command, new Actor(AlertCauses.Describe(rule), Roles.System), commandId);
        if (result.Refusal is { Kind: not (RefusalKind.Conflict or RefusalKind.Unprocessable) } refusal)
            logger.LogWarning("{Command} {Alert} in {Picture} was refused: {Reason}", command.GetType().Name, id, picture, refusal.Reason);
    }
}
