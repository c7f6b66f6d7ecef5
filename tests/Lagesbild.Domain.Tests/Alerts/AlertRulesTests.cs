using Lagesbild.Domain.Alerts;
using Lagesbild.Domain.Picture;
using Microsoft.Extensions.Time.Testing;

namespace Lagesbild.Domain.Tests.Alerts;

/// <summary>An alert's life: raised to the person on duty, escalated wave by wave while nobody acknowledges, stopped by her one tap, closed with its cause.</summary>
public sealed class AlertRulesTests
{
    private static readonly EntityRef Alert = new(EntityKind.Alert, "larm-abc-1");
    private static readonly AlertCauseRef Cause = new("SectorDown:Sector/energi", nameof(AlertRule.SectorDown), "Sector/energi", 12);
    private static readonly Actor Chain = new("Lagesbild (larmkedjan)", Roles.System);
    private static readonly Actor Per = new("Per Lind", Roles.DutyOfficer);
    private static readonly Actor Karin = new("Karin Holm", Roles.DutyOfficer);
    private static readonly Actor Anna = new("Anna Berg", Roles.Central);

    private readonly FakeTimeProvider _clock = new(Decisions.Now);

    private DecideContext At(Actor actor) => new(_clock.GetUtcNow(), FakeAreas.Stockholm, actor);

    private AlertState Raise(AlertTarget to, int? escalateAfterSeconds = 600) => AlertRules.Decide(Alert, null,
        new RaiseAlert("Energiförsörjning: utslagen", "Ellevio rapporterar", AlertSeverity.Critical, Cause, "Larmregel", "tib", to, escalateAfterSeconds),
        At(Chain)).AssertAccepted().State;

    private Decision<AlertState> Escalate(AlertState state, int wave, AlertTarget to, int? after = 600) =>
        AlertRules.Decide(Alert, state, new EscalateAlert(wave, to, after), At(Chain));

    [Fact]
    public void Unacknowledged_it_escalates_through_two_waves_on_time_and_the_third_recipients_tap_stops_it()
    {
        var alert = Raise(new AlertTarget("Per Lind", "070-111", "tib"));
        Assert.Equal(Decisions.Now.AddMinutes(10), alert.EscalatesAt);

        _clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.False(AlertRules.EscalationDue(alert, _clock.GetUtcNow()));
        Escalate(alert, 2, new AlertTarget("Karin Holm", null, "tib-reserv")).AssertRefused(RefusalKind.Conflict);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(AlertRules.EscalationDue(alert, _clock.GetUtcNow()));
        var second = Escalate(alert, 2, new AlertTarget("Karin Holm", null, "tib-reserv")).AssertAccepted();
        Assert.Equal(["Per Lind"], Assert.IsType<AlertEscalated>(second.Change).NotConfirmed.ToArray());
        alert = second.State;
        Escalate(alert, 2, new AlertTarget("Karin Holm", null, "tib-reserv")).AssertRefused(RefusalKind.Conflict);

        _clock.Advance(TimeSpan.FromMinutes(10));
        alert = Escalate(alert, 3, new AlertTarget("Anna Berg", "08-508", "person"), after: null).AssertAccepted().State;
        Assert.Equal(3, alert.Wave);
        Assert.Null(alert.EscalatesAt);
        Assert.False(AlertRules.AwaitsEscalation(alert));

        _clock.Advance(TimeSpan.FromMinutes(2));
        var acknowledged = AlertRules.Decide(Alert, alert, new AcknowledgeAlert(), At(Anna)).AssertAccepted();
        Assert.Equal(new AlertAcknowledged("Anna Berg", 3), acknowledged.Change);
        Assert.Equal(
            [("Per Lind", 1, RecipientState.NotConfirmed), ("Karin Holm", 2, RecipientState.NotConfirmed), ("Anna Berg", 3, RecipientState.Confirmed)],
            acknowledged.State.Recipients.Select(r => (r.Person, r.Wave, r.State)));
    }

    [Fact]
    public void Acknowledged_it_escalates_no_further_and_is_not_acknowledged_twice()
    {
        var alert = Raise(new AlertTarget("Per Lind", null, "tib"));
        _clock.Advance(TimeSpan.FromMinutes(1));
        alert = AlertRules.Decide(Alert, alert, new AcknowledgeAlert(), At(Per)).AssertAccepted().State;
        Assert.Equal(RecipientState.Confirmed, Assert.Single(alert.Recipients).State);
        Assert.Null(alert.EscalatesAt);

        _clock.Advance(TimeSpan.FromMinutes(20));
        Assert.False(AlertRules.EscalationDue(alert, _clock.GetUtcNow()));
        Escalate(alert, 2, new AlertTarget("Karin Holm", null, "tib-reserv")).AssertRefused(RefusalKind.Conflict);
        Assert.Contains("Per Lind", AlertRules.Decide(Alert, alert, new AcknowledgeAlert(), At(Per)).AssertRefused(RefusalKind.Conflict).Reason);
    }

    [Fact]
    public void A_wave_that_reaches_nobody_is_marked_unreachable_and_hands_on_at_once()
    {
        var alert = Raise(new AlertTarget(null, null, "tib"));
        var nobody = Assert.Single(alert.Recipients);
        Assert.Equal((RecipientState.Unreachable, "tib"), (nobody.State, nobody.Step));
        Assert.True(AlertRules.EscalationDue(alert, _clock.GetUtcNow()));
        Assert.False(AlertRules.IsRecipient(alert, "tib"));
        alert = Escalate(alert, 2, new AlertTarget("Karin Holm", null, "tib-reserv")).AssertAccepted().State;
        Assert.True(AlertRules.IsRecipient(alert, "karin  holm"));
    }

    [Fact]
    public void When_the_cause_clears_the_alert_says_so_and_escalates_no_further()
    {
        var alert = Raise(new AlertTarget("Per Lind", null, "tib"));
        var cleared = AlertRules.Decide(Alert, alert, new ClearAlert(), At(Chain)).AssertAccepted();
        Assert.Equal(new AlertCleared(Cause.Key, WasAcknowledged: false), cleared.Change);
        Assert.False(AlertRules.IsOpen(cleared.State));
        _clock.Advance(TimeSpan.FromHours(1));
        Escalate(cleared.State, 2, new AlertTarget("Karin Holm", null, "tib-reserv")).AssertRefused(RefusalKind.Conflict);
        AlertRules.Decide(Alert, cleared.State, new ClearAlert(), At(Chain)).AssertRefused(RefusalKind.Conflict);
    }

    [Fact]
    public void Only_the_recipient_may_acknowledge_her_alert_and_partners_none()
    {
        var alert = Raise(new AlertTarget("Per Lind", null, "tib"));
        var self = Alert;
        var refusal = Access.Check(Karin, self, null, new AcknowledgeAlert(), outsideOfficeHours: true, alert);
        Assert.Equal(RefusalKind.Forbidden, refusal!.Kind);
        Assert.Contains("Per Lind", refusal.Reason);
        Assert.Null(Access.Check(new Actor("per lind", Roles.DutyOfficer), self, null, new AcknowledgeAlert(), outsideOfficeHours: true, alert));
        Assert.NotNull(Access.Check(Anna, self, null, new ClearAlert(), outsideOfficeHours: true, alert));
        Assert.NotNull(Access.Check(Anna, self, null, new RaiseAlert(null, null, null, null, null, null, null, null), outsideOfficeHours: true));
        Assert.NotNull(Access.Check(new Actor("Per Lind", Roles.Observer), self, null, new AcknowledgeAlert(), outsideOfficeHours: true, alert));
    }

    [Fact]
    public void A_raise_without_title_cause_or_recipient_is_refused_by_field()
    {
        var decision = AlertRules.Decide(Alert, null, new RaiseAlert(" ", null, AlertSeverity.Info, null, "Larmregel", "tib", null, null), At(Chain));
        decision.AssertInvalid("title");
        decision.AssertInvalid("cause");
        decision.AssertInvalid("to");
    }
}
