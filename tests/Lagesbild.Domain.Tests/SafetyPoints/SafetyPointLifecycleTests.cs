using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;
using static Lagesbild.Domain.SafetyPoints.SafetyPointStatus;

namespace Lagesbild.Domain.Tests.SafetyPoints;

/// <summary>
/// The activation lifecycle of a trygghetspunkt, checked pair by pair. The expected moves are
/// written out here on purpose, not read from <see cref="SafetyPointRules.Transitions"/>: a
/// change to the lifecycle must show up as a failing test that someone decides about.
/// </summary>
public sealed class SafetyPointLifecycleTests
{
    private static readonly Dictionary<SafetyPointStatus, SafetyPointStatus[]> Allowed = new()
    {
        [Inactive] = [Activating],
        [Activating] = [Open, Limited, Inactive],
        [Open] = [Limited, Closing],
        [Limited] = [Open, Closing],
        [Closing] = [Closed, Open],
        [Closed] = [Activating, Inactive],
    };

    /// <summary>How operators read each status in a refusal.</summary>
    private static readonly Dictionary<SafetyPointStatus, string> Swedish = new()
    {
        [Inactive] = "vilande",
        [Activating] = "under aktivering",
        [Open] = "öppen",
        [Limited] = "öppen med begränsningar",
        [Closing] = "under stängning",
        [Closed] = "stängd",
    };

    private const string Limitations = "Ingen dusch";

    public static TheoryData<SafetyPointStatus, SafetyPointStatus> AllowedMoves() =>
        Pairs(allowed: true);

    public static TheoryData<SafetyPointStatus, SafetyPointStatus> RefusedMoves() =>
        Pairs(allowed: false);

    public static TheoryData<SafetyPointStatus> Statuses() => [.. Enum.GetValues<SafetyPointStatus>()];

    private static TheoryData<SafetyPointStatus, SafetyPointStatus> Pairs(bool allowed)
    {
        var pairs = new TheoryData<SafetyPointStatus, SafetyPointStatus>();
        foreach (var from in Enum.GetValues<SafetyPointStatus>())
        foreach (var to in Enum.GetValues<SafetyPointStatus>())
        {
            if (from != to && Allowed[from].Contains(to) == allowed)
                pairs.Add(from, to);
        }
        return pairs;
    }

    [Fact]
    public void The_expected_table_covers_every_status()
    {
        Assert.Equal(Enum.GetValues<SafetyPointStatus>().Order(), Allowed.Keys.Order());
        Assert.Equal(Enum.GetValues<SafetyPointStatus>().Order(), Swedish.Keys.Order());
    }

    [Theory, MemberData(nameof(AllowedMoves))]
    public void A_move_along_the_lifecycle_is_accepted(SafetyPointStatus from, SafetyPointStatus to)
    {
        var limitations = to == Limited ? Limitations : null;

        var accepted = Points.Decide(Points.In(from), Points.MoveTo(to, limitations)).AssertAccepted();

        Assert.Equal(new SafetyPointStatusChanged(from, to, limitations), accepted.Change);
        Assert.Equal(to, accepted.State.Status);
        Assert.Equal(limitations, accepted.State.Limitations);
    }

    [Theory, MemberData(nameof(RefusedMoves))]
    public void A_move_outside_the_lifecycle_is_refused_naming_the_status_and_what_is_possible_now(SafetyPointStatus from, SafetyPointStatus to)
    {
        var refusal = Points.Decide(Points.In(from), Points.MoveTo(to, Limitations)).AssertRefused(RefusalKind.Conflict);

        Assert.Contains($"är {Swedish[from]} kan inte bli {Swedish[to]}", refusal.Reason);
        var possibleNow = refusal.Reason.Split("Möjligt nu:", 2);
        Assert.Equal(2, possibleNow.Length);
        Assert.Equal(
            Allowed[from].Select(s => Swedish[s]).Order(),
            possibleNow[1].Trim().TrimEnd('.').Split(", ").Order());
    }

    [Theory, MemberData(nameof(Statuses))]
    public void Asking_for_the_status_a_point_already_has_is_refused_as_a_conflict(SafetyPointStatus status)
    {
        var point = Points.In(status);

        var refusal = Points.Decide(point, Points.MoveTo(status, point.Limitations)).AssertRefused(RefusalKind.Conflict);

        Assert.Contains($"redan {Swedish[status]}", refusal.Reason);
    }

    [Fact]
    public void Opening_a_point_that_is_closed_is_refused()
    {
        var refusal = Points.Decide(Points.In(Closed), Points.MoveTo(Open)).AssertRefused(RefusalKind.Conflict);

        Assert.Equal("En trygghetspunkt som är stängd kan inte bli öppen. Möjligt nu: under aktivering, vilande.", refusal.Reason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Opening_with_limitations_needs_the_limitations_said(string? limitations)
    {
        Points.Decide(Points.In(Activating), Points.MoveTo(Limited, limitations)).AssertInvalid("limitations");
        Points.Decide(Points.In(Open), Points.MoveTo(Limited, limitations)).AssertInvalid("limitations");
    }

    [Fact]
    public void Limitations_are_stored_trimmed()
    {
        var accepted = Points.Decide(Points.In(Open), Points.MoveTo(Limited, "  Ingen dusch \n")).AssertAccepted();

        Assert.Equal("Ingen dusch", accepted.State.Limitations);
    }

    [Fact]
    public void A_limited_point_can_say_anew_what_is_limited()
    {
        var accepted = Points.Decide(Points.In(Limited), Points.MoveTo(Limited, "Ingen mat efter kl. 18")).AssertAccepted();

        Assert.Equal(new SafetyPointStatusChanged(Limited, Limited, "Ingen mat efter kl. 18"), accepted.Change);
        Assert.Equal("Ingen mat efter kl. 18", accepted.State.Limitations);
    }

    [Fact]
    public void A_limited_point_cannot_drop_its_limitations_while_staying_limited()
    {
        Points.Decide(Points.In(Limited), Points.MoveTo(Limited, limitations: null)).AssertInvalid("limitations");
    }

    [Fact]
    public void Opening_fully_again_clears_the_limitations()
    {
        var accepted = Points.Decide(Points.In(Limited), Points.MoveTo(Open)).AssertAccepted();

        Assert.Null(accepted.State.Limitations);
    }

    [Theory]
    [InlineData(Inactive, false)]
    [InlineData(Activating, false)]
    [InlineData(Open, true)]
    [InlineData(Limited, true)]
    [InlineData(Closing, true)]
    [InlineData(Closed, false)]
    public void Visitors_are_reported_only_while_the_point_is_open_limited_or_closing(SafetyPointStatus status, bool accepted)
    {
        var decision = Points.Decide(Points.In(status), new ReportSafetyPointVisitors(12));

        if (accepted)
        {
            Assert.Equal(12, decision.AssertAccepted().State.Visitors);
            return;
        }
        var refusal = decision.AssertRefused(RefusalKind.Conflict);
        Assert.Contains(Swedish[status], refusal.Reason);
    }

    [Fact]
    public void More_visitors_than_capacity_is_accepted_so_the_crisis_team_sees_it()
    {
        var accepted = Points.Decide(Points.In(Open), new ReportSafetyPointVisitors(400)).AssertAccepted();

        Assert.Equal(new SafetyPointVisitorsReported(400, 150), accepted.Change);
    }

    [Fact]
    public void Visitors_stay_counted_while_the_point_is_closing()
    {
        var accepted = Points.Decide(Points.In(Open, visitors: 40), new ChangeSafetyPointStatus(Closing, null, "Farsta stadsdelsförvaltning")).AssertAccepted();

        Assert.Equal(40, accepted.State.Visitors);
    }

    [Fact]
    public void A_point_with_visitors_registered_cannot_be_closed()
    {
        var refusal = Points.Decide(Points.In(Closing, visitors: 40), Points.MoveTo(Closed)).AssertRefused(RefusalKind.Conflict);

        Assert.Contains("40 registrerade besökare", refusal.Reason);
    }

    [Fact]
    public void An_empty_point_closes()
    {
        var accepted = Points.Decide(Points.In(Closing), Points.MoveTo(Closed)).AssertAccepted();

        Assert.Equal(Closed, accepted.State.Status);
    }

    [Fact]
    public void Closing_a_point_with_visitors_must_say_where_they_were_referred() =>
        Points.Decide(Points.In(Open, visitors: 40), Points.MoveTo(Closing)).AssertInvalid("referredTo");

    [Fact]
    public void Where_visitors_were_referred_is_kept_while_the_point_closes()
    {
        var accepted = Points.Decide(Points.In(Open, visitors: 40), new ChangeSafetyPointStatus(Closing, null, " Farsta stadsdelsförvaltning ")).AssertAccepted();

        Assert.Equal("Farsta stadsdelsförvaltning", accepted.State.ReferredTo);
        Assert.Equal("Farsta stadsdelsförvaltning", Assert.IsType<SafetyPointStatusChanged>(accepted.Change).ReferredTo);
    }

    [Fact]
    public void Limiting_an_open_point_keeps_its_visitors()
    {
        var accepted = Points.Decide(Points.In(Open, visitors: 40), Points.MoveTo(Limited, Limitations)).AssertAccepted();

        Assert.Equal(40, accepted.State.Visitors);
    }
}
