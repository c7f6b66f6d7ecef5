using System.Text;
using Lagesbild.Domain.Exercises;

namespace Lagesbild.Domain.Tests.Exercises;

public sealed class MselCsvTests
{
    private static readonly ScenarioTargets Targets = new(
        new HashSet<string> { "farsta", "skarpnack" },
        new HashSet<string> { "energi", "vatten" },
        new HashSet<string> { "central-krisledning", "lokal-farsta" },
        new HashSet<string> { "farsta-storforsplan" });

    private const string Heading = "id;tid;leverans;från;till;text;förväntad åtgärd;mål";

    [Fact]
    public void A_file_from_swedish_excel_with_semicolons_and_a_byte_order_mark_gives_every_inject_in_scenario_terms()
    {
        var file = "\uFEFF" + Heading + "\r\n" +
                   "I-01;00:15;meddelande;SOS Alarm;farsta;\"Strömavbrott i Farsta; 4 000 hushåll.\";Aktivera trygghetspunkt;Mål 1\r\n" +
                   "I-02;1:30:00;sektor utslagen;Elbolaget;energi;Nätet i Söderort är nere.;;\r\n" +
                   "I-03;T+02:00;punkt-utan-el;Elbolaget;farsta-storforsplan;\"Reservkraften \"\"går inte\"\"\nigång.\";Rapportera;Mål 2\r\n";

        var read = MselCsv.Parse(file, Targets);

        Assert.Empty(read.Errors);
        Assert.Equal(["I-01", "I-02", "I-03"], read.Injects.Select(i => i.Id));
        var first = read.Injects[0];
        Assert.Equal(TimeSpan.FromMinutes(15), first.At);
        Assert.Equal(InjectDelivery.Message, first.Delivery);
        Assert.Equal(InjectTargetKind.District, first.ToKind);
        Assert.Equal("SOS Alarm", first.From);
        Assert.Equal("Strömavbrott i Farsta; 4 000 hushåll.", first.Text);
        Assert.Equal("Aktivera trygghetspunkt", first.ExpectedAction);
        Assert.Equal("Mål 1", first.Objective);
        Assert.Equal((TimeSpan.FromMinutes(90), InjectDelivery.SectorDown, InjectTargetKind.Sector, (string?)null), (read.Injects[1].At, read.Injects[1].Delivery, read.Injects[1].ToKind, read.Injects[1].ExpectedAction));
        Assert.Equal("Reservkraften \"går inte\"\nigång.", read.Injects[2].Text);
        Assert.Equal(TimeSpan.FromHours(2), read.Injects[2].At);
    }

    [Fact]
    public void A_comma_separated_file_with_english_headings_in_another_order_is_read_the_same()
    {
        var file = "time,id,to,from,delivery,text,objective,expected action\n00:05,a1,lokal-farsta,Polisen,meddelande,\"Folksamling, oro\",Mål 3,Samverka\n";

        var inject = Assert.Single(MselCsv.Parse(file, Targets).Injects);

        Assert.Equal(new Inject("a1", TimeSpan.FromMinutes(5), InjectDelivery.Message, "Polisen", InjectTargetKind.CrisisBody, "lokal-farsta", "Folksamling, oro", "Samverka", "Mål 3"), inject);
    }

    [Fact]
    public void A_missing_column_is_named_on_the_heading_row_and_no_inject_is_read()
    {
        var read = MselCsv.Parse("id;leverans;från;till;text;mål\nI-01;meddelande;SOS Alarm;farsta;Text;Mål\n", Targets);

        Assert.Empty(read.Injects);
        Assert.Equal(["rad 1, tid", "rad 1, förväntad åtgärd"], read.Errors.Select(e => e.Where));
        Assert.Contains("tid", read.ToRefusal()!.Errors!.Keys.First());
    }

    [Fact]
    public void Every_wrong_row_is_reported_with_its_row_and_column_and_nothing_is_read()
    {
        var file = Heading + "\n" +
                   "I-01;00:15;meddelande;SOS Alarm;farsta;Rätt rad;;\n" +
                   "I-02;kvart över;meddelande;SOS Alarm;farsta;Tiden är ingen tid;;\n" +
                   "I-03;00:20;meddelande;SOS Alarm;solna;Okänd mottagare;;\n" +
                   "I-01;00:25;meddelande;SOS Alarm;farsta;Samma id igen;;\n" +
                   "\n" +
                   "I-05;00:61;brevduva;;energi;;;\n";

        var read = MselCsv.Parse(file, Targets);

        Assert.Empty(read.Injects);
        Assert.Equal(
        [
            "rad 3, kolumn B (tid)",
            "rad 4, kolumn E (till)",
            "rad 5, kolumn A (id)",
            "rad 7, kolumn B (tid)",
            "rad 7, kolumn C (leverans)",
            "rad 7, kolumn D (från)",
            "rad 7, kolumn F (text)",
        ], read.Errors.Select(e => e.Where));
        Assert.Contains("rad 2", read.Errors.Single(e => e.Row == 5).Message);
        Assert.Contains("solna", read.Errors.Single(e => e.Row == 4).Message);
        var refusal = read.ToRefusal()!;
        Assert.Equal(7, refusal.Errors!.Count);
        Assert.Contains("7 fel", refusal.Reason);
    }

    [Fact]
    public void A_picture_change_goes_only_to_a_thing_of_its_kind()
    {
        var file = Heading + "\nI-01;00:10;sektor-utslagen;Elbolaget;farsta;Fel sorts mottagare;;\nI-02;00:10;punkt-utan-el;Elbolaget;energi;Ingen punkt;;\n";

        Assert.Equal(["rad 2, kolumn E (till)", "rad 3, kolumn E (till)"], MselCsv.Parse(file, Targets).Errors.Select(e => e.Where));
    }

    [Fact]
    public void Times_that_are_not_scenario_times_are_refused()
    {
        foreach (var time in new[] { "1.30", "01:5", "-00:10", "00:10:99", "100:00", "12" })
        {
            var read = MselCsv.Parse($"{Heading}\nI-01;{time};meddelande;SOS Alarm;farsta;Text;;\n", Targets);
            Assert.Equal("rad 2, kolumn B (tid)", Assert.Single(read.Errors).Where);
        }
    }

    [Fact]
    public void A_quote_that_is_never_closed_is_reported_instead_of_swallowing_the_file()
    {
        var read = MselCsv.Parse($"{Heading}\nI-01;00:10;meddelande;SOS Alarm;farsta;\"Öppnas men stängs aldrig;;\n", Targets);

        Assert.Contains(read.Errors, e => e.Message.Contains("citattecken"));
        Assert.Empty(read.Injects);
    }

    [Fact]
    public void A_two_hundred_row_scenario_is_read_in_one_go()
    {
        var file = new StringBuilder(Heading).Append('\n');
        for (var i = 1; i <= 200; i++)
            file.Append($"I-{i:000};{i / 60:00}:{i % 60:00};meddelande;SOS Alarm;{(i % 2 == 0 ? "farsta" : "energi")};Inspel {i};Svara;Mål {i % 4}\n");

        var read = MselCsv.Parse(file.ToString(), Targets);

        Assert.Empty(read.Errors);
        Assert.Equal(200, read.Injects.Count);
        Assert.Equal(TimeSpan.FromMinutes(200), read.Injects[^1].At);
    }

    [Fact]
    public void An_empty_file_is_told_it_lacks_its_heading_row()
    {
        Assert.Equal("rad 1", Assert.Single(MselCsv.Parse("\uFEFF", Targets).Errors).Where);
    }
}
