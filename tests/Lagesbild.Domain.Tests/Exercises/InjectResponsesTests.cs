using Lagesbild.Domain.Exercises;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Tests.Exercises;

/// <summary>Evaluation: the time from an inspel's delivery to the first response that matches its expected action, from the desk it was sent to.</summary>
public sealed class InjectResponsesTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2027-03-12T08:00:00Z");

    private static readonly Actor Sara = new("Sara Ek", Roles.District, "farsta");
    private static readonly Actor Omar = new("Omar Haddad", Roles.District, "sodermalm");
    private static readonly Actor Anna = new("Anna Berg", Roles.Central);
    private static readonly Actor Lena = new("Lena Holm", Roles.Sector, Sector: "energi");
    private static readonly Actor Per = new("Per Lund", Roles.DutyOfficer);

    private static Inject To(string id, string district, string? expected) => To(id, InjectTargetKind.District, district, expected);

    private static Inject To(string id, InjectTargetKind kind, string to, string? expected) =>
        new(id, TimeSpan.FromMinutes(10), InjectDelivery.Message, "SOS Alarm", kind, to, "Text", expected, null);

    private static ExerciseRunState DeliveredAt(params (string Inject, int Minute)[] deliveries) =>
        new(ExerciseClock.NotStarted, [.. deliveries.Select(d => new InjectMark(d.Inject, DeliveredAt: Start.AddMinutes(d.Minute)))]);

    private static string? OwnerOf(string point) => point.StartsWith("farsta-", StringComparison.Ordinal) ? "farsta" : null;

    private static ExerciseResponse R(ResponseKind kind, Actor by, DateTimeOffset at, long seq) => new(kind, by, at, seq);

    private static ExerciseResponse? FirstAnswer(Inject inject, params ExerciseResponse[] responses) =>
        Assert.Single(InjectResponses.Measure([inject], DeliveredAt((inject.Id, 10)), responses, OwnerOf)).FirstResponse;

    [Fact]
    public void The_first_response_of_the_expected_kind_from_the_recipient_after_delivery_is_measured()
    {
        var injects = new[] { To("I-01", "farsta", "Aktivera lokal krisledning") };
        var responses = new ExerciseResponse[]
        {
            R(ResponseKind.Activation, Sara, Start.AddMinutes(5), 10),   // before the delivery
            R(ResponseKind.Report, Sara, Start.AddMinutes(12), 11),      // another kind
            R(ResponseKind.Activation, Omar, Start.AddMinutes(13), 12),  // another desk
            R(ResponseKind.Activation, Sara, Start.AddMinutes(17), 13),  // the answer
            R(ResponseKind.Activation, Sara, Start.AddMinutes(30), 14),
        };

        var measured = Assert.Single(InjectResponses.Measure(injects, DeliveredAt(("I-01", 10)), responses, OwnerOf));

        Assert.Equal(ResponseKind.Activation, measured.Expected);
        Assert.Equal(13, measured.FirstResponse?.Seq);
        Assert.Equal(TimeSpan.FromMinutes(7), measured.TimeToResponse);
    }

    [Fact]
    public void The_desk_the_inject_was_sent_to_answers_it_a_district_a_sector_a_crisis_body_and_a_points_district()
    {
        Assert.Equal(1, FirstAnswer(To("I-01", "farsta", "Lägesrapport"), R(ResponseKind.Report, Sara, Start.AddMinutes(11), 1))?.Seq);
        Assert.Equal(2, FirstAnswer(To("I-02", InjectTargetKind.Sector, "energi", "Lägesrapport"), R(ResponseKind.Report, Lena, Start.AddMinutes(11), 2))?.Seq);
        Assert.Equal(3, FirstAnswer(To("I-03", InjectTargetKind.CrisisBody, "lokal-farsta", "Aktivera"), R(ResponseKind.Activation, Sara, Start.AddMinutes(11), 3))?.Seq);
        Assert.Equal(4, FirstAnswer(To("I-04", InjectTargetKind.CrisisBody, "central-krisledning", "Fatta beslut"), R(ResponseKind.Decision, Anna, Start.AddMinutes(11), 4))?.Seq);
        Assert.Equal(5, FirstAnswer(To("I-05", InjectTargetKind.CrisisBody, "tib", "Ge uppdrag"), R(ResponseKind.Task, Per, Start.AddMinutes(11), 5))?.Seq);
        Assert.Equal(6, FirstAnswer(new Inject("I-06", TimeSpan.FromMinutes(10), InjectDelivery.PointLosesPower, "Ellevio", InjectTargetKind.SafetyPoint, "farsta-storforsplan", "Strömmen borta", "Lägesrapport", null),
            R(ResponseKind.Report, Sara, Start.AddMinutes(11), 6))?.Seq);
    }

    [Fact]
    public void A_response_from_another_desk_does_not_count_even_from_central_krisledning()
    {
        Assert.Null(FirstAnswer(To("I-01", "farsta", "Lägesrapport"),
            R(ResponseKind.Report, Omar, Start.AddMinutes(11), 1), R(ResponseKind.Report, Anna, Start.AddMinutes(12), 2), R(ResponseKind.Report, Lena, Start.AddMinutes(13), 3)));
        Assert.Null(FirstAnswer(To("I-02", InjectTargetKind.Sector, "energi", "Lägesrapport"),
            R(ResponseKind.Report, Sara, Start.AddMinutes(11), 4), R(ResponseKind.Report, new Actor("Lisa Ström", Roles.Sector, Sector: "transporter"), Start.AddMinutes(12), 5)));
        Assert.Null(FirstAnswer(To("I-03", InjectTargetKind.CrisisBody, "lokal-farsta", "Aktivera"),
            R(ResponseKind.Activation, Omar, Start.AddMinutes(11), 6), R(ResponseKind.Activation, Anna, Start.AddMinutes(12), 7)));
        Assert.Null(FirstAnswer(To("I-04", InjectTargetKind.CrisisBody, "central-krisledning", "Fatta beslut"),
            R(ResponseKind.Decision, Per, Start.AddMinutes(11), 8), R(ResponseKind.Decision, Sara, Start.AddMinutes(12), 9)));
        // A point whose district is not known has no desk to answer for it.
        Assert.Null(FirstAnswer(new Inject("I-05", TimeSpan.FromMinutes(10), InjectDelivery.PointLosesPower, "Ellevio", InjectTargetKind.SafetyPoint, "okand-punkt", "Strömmen borta", "Lägesrapport", null),
            R(ResponseKind.Report, Sara, Start.AddMinutes(11), 10)));
    }

    [Fact]
    public void The_first_matching_response_of_the_recipient_wins_and_later_ones_change_nothing()
    {
        var inject = To("I-01", InjectTargetKind.Sector, "energi", "Lägesrapport");

        var first = FirstAnswer(inject,
            R(ResponseKind.Report, Lena, Start.AddMinutes(25), 8),
            R(ResponseKind.Report, Sara, Start.AddMinutes(12), 5),
            R(ResponseKind.Report, Lena, Start.AddMinutes(14), 6),
            R(ResponseKind.Report, Lena, Start.AddMinutes(20), 7));

        Assert.Equal((6L, Start.AddMinutes(14)), (first?.Seq ?? 0, first?.At ?? default));
    }

    [Fact]
    public void A_response_before_the_inject_was_delivered_does_not_count()
    {
        var inject = To("I-01", "farsta", "Lägesrapport");

        Assert.Null(FirstAnswer(inject, R(ResponseKind.Report, Sara, Start.AddMinutes(9), 1), R(ResponseKind.Report, Sara, Start.AddMinutes(2), 2)));
        Assert.Equal(3, FirstAnswer(inject, R(ResponseKind.Report, Sara, Start.AddMinutes(9), 1), R(ResponseKind.Report, Sara, Start.AddMinutes(10), 3))?.Seq);
    }

    [Fact]
    public void An_inject_not_delivered_not_answered_or_expecting_nothing_has_no_time()
    {
        var injects = new[] { To("I-01", "farsta", "Lägesrapport inom en timme"), To("I-02", "farsta", null), To("I-03", "farsta", "Fatta beslut") };
        var responses = new ExerciseResponse[] { R(ResponseKind.Report, Sara, Start.AddMinutes(20), 5) };

        var measured = InjectResponses.Measure(injects, DeliveredAt(("I-02", 10), ("I-03", 10)), responses, OwnerOf);

        Assert.All(measured, m => Assert.Null(m.TimeToResponse));
        Assert.Null(measured[0].DeliveredAt);
        Assert.Null(measured[1].Expected);
        Assert.Equal(ResponseKind.Decision, measured[2].Expected);
    }

    [Theory]
    [InlineData("Aktivera lokal krisledning", ResponseKind.Activation)]
    [InlineData("Skicka lägesrapport", ResponseKind.Report)]
    [InlineData("Beslut om trygghetspunkter", ResponseKind.Decision)]
    [InlineData("Ge uppdrag till FRG", ResponseKind.Task)]
    [InlineData("Ring tillbaka", null)]
    public void An_expected_action_is_read_as_the_kind_of_answer_it_names(string expected, ResponseKind? kind) =>
        Assert.Equal(kind, InjectResponses.ExpectedKind(expected));

    [Fact]
    public void The_changes_that_answer_are_an_activation_a_report_a_beslut_and_an_uppdrag()
    {
        Assert.Equal(ResponseKind.Activation, InjectResponses.KindOf("CrisisBodyActivationChanged"));
        Assert.Equal(ResponseKind.Report, InjectResponses.KindOf("SituationReportSent"));
        Assert.Equal(ResponseKind.Decision, InjectResponses.KindOf("ResolutionRecorded"));
        Assert.Equal(ResponseKind.Task, InjectResponses.KindOf("AssignmentSent"));
        Assert.Null(InjectResponses.KindOf("MessageRead"));
    }
}
