using System.Collections.Immutable;
using Lagesbild.Domain.Alerts;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;
using Microsoft.Extensions.Time.Testing;

namespace Lagesbild.Domain.Tests.Alerts;

/// <summary>The TiB's bedömning of an alert from outside: taken into the picture, forwarded to a desk's duty or dismissed, once, by whom may.</summary>
public sealed class AlertTriageTests
{
    private static readonly EntityRef Alert = new(EntityKind.Alert, "cap-0123456789abcdef");
    private static readonly Actor Sos = new("SOS Alarm (CAP)", Roles.System);
    private static readonly Actor Per = new("Per Lind", Roles.DutyOfficer);
    private static readonly Actor Anna = new("Anna Berg", Roles.Central);
    private static readonly ImmutableArray<GeoPosition> Ring =
        [new(18.085, 59.246), new(18.1, 59.246), new(18.1, 59.238), new(18.085, 59.238), new(18.085, 59.246)];
    private static readonly CapOrigin Origin = new("sos-alarm", "sos@sosalarm.se", ["SOS-1"], "Alert", Decisions.Now, "Gasläcka",
        "Immediate", "Severe", "Farsta centrum", [Ring]);
    private static readonly ForwardDesk Farsta = new("district-farsta", "beredskapen i Farsta", "Sara Ek", "08-508 180 00");

    private readonly FakeTimeProvider _clock = new(Decisions.Now);

    private DecideContext At(Actor actor) => new(_clock.GetUtcNow(), FakeAreas.Stockholm, actor);

    private AlertState Raise(CapOrigin? cap = null) => AlertRules.Decide(Alert, null,
        new RaiseAlert("Gasläcka i Farsta centrum", "Läckage från gasledning.", AlertSeverity.Critical,
            new AlertCauseRef("Cap:sos@sosalarm.se/SOS-1", CapAlerts.Rule, $"Alert/{Alert.Id}", 0), "SOS Alarm", "tib",
            new AlertTarget("Per Lind", "070-111", "tib"), 600, Cap: cap ?? Origin),
        At(Sos)).AssertAccepted().State;

    private Decision<AlertState> Triage(AlertState state, AlertCommand command, Actor? actor = null, ForwardDesk? desk = null) =>
        AlertRules.Decide(Alert, state, command, At(actor ?? Per), desk);

    [Fact]
    public void Accepted_its_area_is_in_the_picture_with_the_comment_and_the_escalation_stops()
    {
        var alert = Raise();
        _clock.Advance(TimeSpan.FromMinutes(2));

        var accepted = Triage(alert, new AcceptAlert { Reason = "Bekräftat med SSBF" }).AssertAccepted();

        Assert.Equal(new AlertAccepted("Gasläcka i Farsta centrum", 1), accepted.Change);
        Assert.Equal(new AlertTriage(TriageOutcome.Accepted, "Per Lind", _clock.GetUtcNow(), "Bekräftat med SSBF"), accepted.State.Triage);
        Assert.True(TriageRules.InPicture(accepted.State));
        Assert.Null(accepted.State.EscalatesAt);
        Assert.False(AlertRules.AwaitsEscalation(accepted.State));
        Assert.Equal((RecipientState.Confirmed, "Per Lind"), (Assert.Single(accepted.State.Recipients).State, accepted.State.AcknowledgedBy));
    }

    [Fact]
    public void An_internal_comment_stays_out_of_the_state_so_only_its_loggbok_entry_carries_it()
    {
        var accepted = Triage(Raise(), new AcceptAlert { Reason = "Enligt polisens källa i området", Internal = true }).AssertAccepted();
        Assert.Null(accepted.State.Triage!.Comment);
        var dismissed = Triage(Raise(), new DismissAlert { Reason = "Gäller inte staden", Internal = true }).AssertAccepted();
        Assert.Null(dismissed.State.Triage!.Comment);
    }

    [Fact]
    public void Dismissing_needs_a_reason_and_keeps_the_area_out_of_the_picture()
    {
        var alert = Raise();
        var refusal = Triage(alert, new DismissAlert { Reason = "  " }).AssertRefused(RefusalKind.Invalid);
        Assert.Equal(["Måste anges."], refusal.Errors!["reason"]);

        var dismissed = Triage(alert, new DismissAlert { Reason = "Övning hos SSBF, inte skarpt" }).AssertAccepted();
        Assert.Equal(TriageOutcome.Dismissed, dismissed.State.Triage!.Outcome);
        Assert.Equal("Övning hos SSBF, inte skarpt", dismissed.State.Triage.Comment);
        Assert.False(TriageRules.InPicture(dismissed.State));
    }

    [Fact]
    public void Forwarded_it_reaches_the_desks_person_on_duty_who_then_confirms_her_own_row()
    {
        var alert = AlertRules.Decide(Alert, Raise(), new AcknowledgeAlert(), At(Per)).AssertAccepted().State;
        _clock.Advance(TimeSpan.FromMinutes(1));

        var forwarded = Triage(alert, new ForwardAlert(District: "farsta"), desk: Farsta).AssertAccepted();
        var to = Assert.IsType<AlertForwarded>(forwarded.Change).To;
        Assert.Equal(("Sara Ek", "district-farsta", RecipientState.NotConfirmed, _clock.GetUtcNow()), (to.Person, to.Step, to.State, to.NotifiedAt));
        Assert.Equal(("district-farsta", TriageOutcome.Forwarded), (forwarded.State.Triage!.ForwardedTo, forwarded.State.Triage.Outcome));
        Assert.True(AlertRules.IsRecipient(forwarded.State, "Sara Ek"));
        Assert.False(TriageRules.InPicture(forwarded.State));

        // The TiB acknowledged before; Sara's own tap still confirms her row.
        var sara = new Actor("Sara Ek", Roles.District, District: "farsta");
        var confirmed = AlertRules.Decide(Alert, forwarded.State, new AcknowledgeAlert(), At(sara)).AssertAccepted().State;
        Assert.Equal([("Per Lind", RecipientState.Confirmed), ("Sara Ek", RecipientState.Confirmed)], confirmed.Recipients.Select(r => (r.Person, r.State)));
        Assert.Equal("Per Lind", confirmed.AcknowledgedBy);
        AlertRules.Decide(Alert, confirmed, new AcknowledgeAlert(), At(sara)).AssertRefused(RefusalKind.Conflict);
    }

    [Fact]
    public void A_forward_to_a_desk_with_nobody_on_duty_or_to_no_desk_is_refused_and_names_it()
    {
        var alert = Raise();
        var nobody = Triage(alert, new ForwardAlert(District: "farsta"), desk: Farsta with { Person = null }).AssertRefused(RefusalKind.Conflict);
        Assert.Contains("beredskapen i Farsta", nobody.Reason);
        Assert.Contains("okand", Triage(alert, new ForwardAlert(District: "okand"), desk: null).AssertRefused(RefusalKind.Invalid).Errors!["district"][0]);
        Assert.True(Triage(alert, new ForwardAlert(), desk: null).AssertRefused(RefusalKind.Invalid).Errors!.ContainsKey("district"));
        Assert.True(Triage(alert, new ForwardAlert("farsta", "central-krisledning"), desk: Farsta).AssertRefused(RefusalKind.Invalid).Errors!.ContainsKey("district"));
    }

    [Fact]
    public void An_alert_is_triaged_once_and_only_when_it_came_from_outside_and_stands()
    {
        var accepted = Triage(Raise(), new AcceptAlert()).AssertAccepted().State;
        var again = Triage(accepted, new DismissAlert { Reason = "Fel" }, Anna).AssertRefused(RefusalKind.Conflict);
        Assert.Contains("redan bedömt: intaget i lägesbilden av Per Lind", again.Reason);

        var fromRule = Raise() with { Cap = null };
        Assert.Contains("inte utifrån", Triage(fromRule, new AcceptAlert()).AssertRefused(RefusalKind.Conflict).Reason);

        var cancelled = AlertRules.Decide(Alert, Raise(), new ClearAlert(), At(Sos)).AssertAccepted().State;
        Assert.Contains("återkallat", Triage(cancelled, new AcceptAlert()).AssertRefused(RefusalKind.Conflict).Reason);
        // Accepted and later cancelled by its sender: the area leaves the picture.
        Assert.False(TriageRules.InPicture(AlertRules.Decide(Alert, accepted, new ClearAlert(), At(Sos)).AssertAccepted().State));
    }

    [Fact]
    public void Only_the_TiB_and_central_krisledning_triage_and_everyone_else_is_told_why()
    {
        var alert = Raise();
        var entity = Alert;
        foreach (var command in new AlertCommand[] { new AcceptAlert(), new ForwardAlert(District: "farsta"), new DismissAlert { Reason = "x" } })
        {
            Assert.Null(Access.Check(Per, entity, null, command, outsideOfficeHours: false, alert));
            Assert.Null(Access.Check(Anna, entity, null, command, outsideOfficeHours: true, alert));
            foreach (var other in new[]
                     {
                         new Actor("Sara Ek", Roles.District, District: "farsta"), new Actor("Lena", Roles.Sector, Sector: "energi"),
                         new Actor("Polisen", Roles.Observer), new Actor("Allmänheten", Roles.Public), new Actor("Eva", Roles.Chair),
                         new Actor("Ulla", Roles.Evaluator),
                     })
            {
                var refusal = Access.Check(other, entity, null, command, outsideOfficeHours: true, alert);
                Assert.Equal(RefusalKind.Forbidden, refusal?.Kind);
                Assert.StartsWith("Bara TiB i tjänst och central krisledning bedömer larm utifrån", refusal!.Reason);
            }
        }
    }
}
