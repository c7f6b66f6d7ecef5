using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using Lagesbild.Grains.Picture;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lagesbild.Grains.Reports;

/// <summary>One begäran om lägesrapport: who was asked, who has read and answered; reminds before the deadline.</summary>
public interface IReportRequestGrain : IEntityGrain<ReportRequestCommand>;

public sealed class ReportRequestGrain(
    PictureStore store, IAreas areas, IOfficeHours officeHours, TimeProvider time, IOptions<ReportingRhythmOptions> rhythm, ILogger<ReportRequestGrain> logger)
    : EntityGrain<ReportRequestState, ReportRequestCommand>(store, areas, officeHours, time, logger), IReportRequestGrain
{
    // The base keeps the constructor's clock to itself; this is the same registered one.
    private TimeProvider Clock => ServiceProvider.GetRequiredService<TimeProvider>();

    private IGrainTimer? _reminder;

    private Guid ReminderId => new(SHA256.HashData(Encoding.UTF8.GetBytes($"{this.GetPrimaryKeyString()}\nreminder")).AsSpan(0, 16));

    protected override EntityKind Kind => EntityKind.ReportRequest;

    protected override Decision<ReportRequestState> Decide(EntityRef self, ReportRequestState? state, ReportRequestCommand command, DecideContext context) =>
        ReportRequestRules.Decide(self, state, command, context);

    protected override string? DistrictOf(ReportRequestState state) => state.District;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        if (await Record() is { } record)
        {
            using var document = JsonDocument.Parse(record);
            ScheduleReminder(document.RootElement.GetProperty("state").Deserialize<ReportRequestState>(DomainJson.Options)!);
        }
    }

    protected override Task AfterAppendAsync(ReportRequestCommand command, Accepted<ReportRequestState> accepted, Actor actor, long seq)
    {
        if (command is RequestSituationReport)
            ScheduleReminder(accepted.State);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The reminder waits in this activation (kept alive until then) and is sent as Lagesbild's
    /// own change, so it is a loggbok entry and a delta the recipients' pages show. A restart loses
    /// the timer: <c>RequestRemindersAtStart</c> wakes the grain again, and activation arms it anew.
    /// </summary>
    private void ScheduleReminder(ReportRequestState state)
    {
        var now = Clock.GetUtcNow();
        if (_reminder is not null || !ReportRequestRules.AwaitsReminder(state, now))
            return;
        var wait = ReportRequestRules.RemindAt(state, rhythm.Value.ToRhythm().ReminderLead) - now;
        _reminder = this.RegisterGrainTimer(RemindAsync, new GrainTimerCreationOptions
        {
            DueTime = wait < TimeSpan.Zero ? TimeSpan.Zero : wait,
            Period = Timeout.InfiniteTimeSpan,
            KeepAlive = true,
        });
    }

    private async Task RemindAsync(CancellationToken cancellationToken)
    {
        _reminder?.Dispose();
        // One command id per begäran: a reminder sent just before a node died is recognised, never sent again.
        var result = await Handle(new RemindReportRequest(), Actor.System, ReminderId);
        if (result.Refusal is { Kind: not RefusalKind.Conflict } refusal)
            logger.LogWarning("The reminder of {Request} in {Picture} was refused: {Reason}", this.GetPrimaryKeyString(), Picture, refusal.Reason);
    }
}
