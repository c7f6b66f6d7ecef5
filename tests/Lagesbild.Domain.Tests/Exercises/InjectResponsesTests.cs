using Lagesbild.Domain.Exercises;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Tests.Exercises;

/// <summary>Evaluation: the time from an inspel's delivery to the first response that matches its expected action.</summary>
public sealed class InjectResponsesTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2027-03-12T08:00:00Z");

    private static Inject To(string id, string district, string? expected) =>
        new(id, TimeSpan.FromMinutes(10), InjectDelivery.Message, "SOS Alarm", InjectTargetKind.District, district, "Text", expected, null);

    private static ExerciseRunState DeliveredAt(params (string Inject, int Minute)[] deliveries) =>
        new(ExerciseClock.NotStarted, [.. deliveries.Select(d => new InjectMark(d.Inject, DeliveredAt: Start.AddMinutes(d.Minute)))]);

    [Fact]
    public void The_first_response_of_the_expected_kind_from_the_recipient_after_delivery_is_measured()
    {
        var injects = new[] { To("I-01", "farsta", "Aktivera lokal krisledning") };
        var responses = new ExerciseResponse[]
        {
            new(ResponseKind.Activation, "farsta", Start.AddMinutes(5), 10),     // before the delivery
            new(ResponseKind.Report, "farsta", Start.AddMinutes(12), 11),        // another kind
            new(ResponseKind.Activation, "sodermalm", Start.AddMinutes(13), 12), // another desk
            new(ResponseKind.Activation, "farsta", Start.AddMinutes(17), 13),    // the answer
            new(ResponseKind.Activation, "farsta", Start.AddMinutes(30), 14),
        };

        var measured = Assert.Single(InjectResponses.Measure(injects, DeliveredAt(("I-01", 10)), responses));

        Assert.Equal(ResponseKind.Activation, measured.Expected);
        Assert.Equal(13, measured.FirstResponse?.Seq);
        Assert.Equal(TimeSpan.FromMinutes(7), measured.TimeToResponse);
    }

    [Fact]
    public void An_inject_not_delivered_not_answered_or_expecting_nothing_has_no_time()
    {
        var injects = new[] { To("I-01", "farsta", "Lägesrapport inom en timme"), To("I-02", "farsta", null), To("I-03", "farsta", "Fatta beslut") };
        var responses = new ExerciseResponse[] { new(ResponseKind.Report, "farsta", Start.AddMinutes(20), 5) };

        var measured = InjectResponses.Measure(injects, DeliveredAt(("I-02", 10), ("I-03", 10)), responses);

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
