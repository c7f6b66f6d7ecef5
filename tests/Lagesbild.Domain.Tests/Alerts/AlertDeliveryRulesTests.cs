using Lagesbild.Domain.Alerts;
using Lagesbild.Domain.Picture;
using Microsoft.Extensions.Time.Testing;

namespace Lagesbild.Domain.Tests.Alerts;

/// <summary>What the outbox's records do to an alert: each channel's outcome on its recipient, Unreachable when no channel reached her, recorded once.</summary>
public sealed class AlertDeliveryRulesTests
{
    private static readonly EntityRef Alert = new(EntityKind.Alert, "larm-abc-1");
    private static readonly AlertCauseRef Cause = new("SectorDown:Sector/energi", nameof(AlertRule.SectorDown), "Sector/energi", 12);
    private static readonly Actor Chain = new("Lagesbild (larmkedjan)", Roles.System);
    private static readonly Actor Sender = new("Lagesbild (utskick)", Roles.System);

    private readonly FakeTimeProvider _clock = new(Decisions.Now);

    private DecideContext At(Actor actor) => new(_clock.GetUtcNow(), FakeAreas.Stockholm, actor);

    private AlertState Raised() => AlertRules.Decide(Alert, null,
        new RaiseAlert("Energiförsörjning: utslagen", null, AlertSeverity.Critical, Cause, "Larmregel", "tib", new AlertTarget("Per Lind", "070-111", "tib"), 600),
        At(Chain)).AssertAccepted().State;

    private Decision<AlertState> Record(AlertState state, string channel, DeliveryResult result, int inAll = 2, string person = "per lind") =>
        AlertRules.Decide(Alert, state, new RecordAlertDelivery(person, 1, channel, result, "svar", inAll), At(Sender));

    [Fact]
    public void A_delivery_is_kept_on_its_recipient_and_she_stays_not_confirmed()
    {
        _clock.Advance(TimeSpan.FromSeconds(2));
        var recorded = Record(Raised(), "smtp", DeliveryResult.Delivered).AssertAccepted();

        var per = Assert.Single(recorded.State.Recipients);
        Assert.Equal(RecipientState.NotConfirmed, per.State);
        Assert.Equal([new AlertChannelOutcome("smtp", DeliveryResult.Delivered, _clock.GetUtcNow())], per.Channels!.Value.ToArray());
        Assert.Equal(new AlertDeliveryRecorded("Per Lind", 1, "smtp", DeliveryResult.Delivered, "svar"), recorded.Change);
    }

    [Fact]
    public void One_unreachable_channel_of_two_leaves_her_reachable_both_make_her_Unreachable_and_the_next_wave_due_now()
    {
        var alert = Raised();
        _clock.Advance(TimeSpan.FromMinutes(1));
        alert = Record(alert, "smtp", DeliveryResult.Unreachable).AssertAccepted().State;
        Assert.Equal(RecipientState.NotConfirmed, alert.Recipients[0].State);
        Assert.False(AlertRules.EscalationDue(alert, _clock.GetUtcNow()));

        alert = Record(alert, "webhook", DeliveryResult.Unreachable).AssertAccepted().State;
        Assert.Equal(RecipientState.Unreachable, alert.Recipients[0].State);
        Assert.True(AlertRules.EscalationDue(alert, _clock.GetUtcNow()));
    }

    [Fact]
    public void A_channel_is_recorded_once_and_only_for_a_recipient_of_that_wave()
    {
        var alert = Record(Raised(), "smtp", DeliveryResult.Delivered).AssertAccepted().State;
        Record(alert, "smtp", DeliveryResult.Delivered).AssertRefused(RefusalKind.Conflict);
        Record(alert, "smtp", DeliveryResult.Delivered, person: "Karin Holm").AssertRefused(RefusalKind.Conflict);
        AlertRules.Decide(Alert, alert, new RecordAlertDelivery("Per Lind", 0, " ", null, null, 0), At(Sender)).AssertInvalid("channel");
    }

    [Fact]
    public void Only_Lagesbild_records_a_delivery()
    {
        var alert = Raised();
        foreach (var role in new[] { Roles.Central, Roles.DutyOfficer, Roles.Observer })
        {
            var refusal = Access.Check(new Actor("Per Lind", role), Alert, null, new RecordAlertDelivery("Per Lind", 1, "smtp", DeliveryResult.Delivered, null, 1), outsideOfficeHours: true, alert);
            Assert.Equal(RefusalKind.Forbidden, refusal?.Kind);
        }
        Assert.Null(Access.Check(Sender, Alert, null, new RecordAlertDelivery("Per Lind", 1, "smtp", DeliveryResult.Delivered, null, 1), outsideOfficeHours: true, alert));
    }
}
