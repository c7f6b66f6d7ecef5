using System.Text.Json;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using Lagesbild.Domain.Sectors;
using Lagesbild.Server.Alerts;
using Lagesbild.Server.Api;

namespace Lagesbild.Server.Tests;

/// <summary>
/// The alert rules look at the whole picture after every change and must judge what the picture holds now:
/// each record's latest state, no record that has left it, and nothing of a kind they do not read.
/// </summary>
public sealed class ParsedStatesTests
{
    private static string Sector(SectorStatus status) =>
        JsonSerializer.Serialize(new SectorState("Energiförsörjning", "Stadsledningskontoret", status, ["farsta"], null, null), DomainJson.Options);

    private static (string Key, long Seq, string State) Record(string key, long seq, string state) => (key, seq, state);

    /// <summary>States compared as what they say (a state's immutable arrays compare by reference).</summary>
    private static IEnumerable<(EntityRef, long, string)> Said(IEnumerable<SourcedState> states) =>
        states.Select(s => (s.Entity, s.Seq, JsonSerializer.Serialize(s.State, s.State.GetType(), DomainJson.Options)));

    [Fact]
    public void Each_look_reads_what_the_records_hold_now_as_a_fresh_reading_would()
    {
        var parsed = new ParsedStates(kind => kind is EntityKind.Sector);
        var energy = Sector(SectorStatus.Normal);
        var water = Sector(SectorStatus.Disturbed);
        (string, long, string)[] first = [Record("Sector/energi", 3, energy), Record("Sector/vatten", 5, water), Record("District/farsta", 1, "{}")];
        var firstLook = parsed.Read(first);
        Assert.Equal(Said(ReportsApi.StatesOf(first, kind => kind is EntityKind.Sector)), Said(firstLook));
        Assert.Equal(2, firstLook.Count);

        // The energy sector goes down (a new record at a later number); water has left the picture.
        var down = Sector(SectorStatus.Down);
        (string, long, string)[] second = [Record("Sector/energi", 9, down), Record("District/farsta", 1, "{}")];
        var secondLook = parsed.Read(second);

        var only = Assert.Single(secondLook);
        Assert.Equal(new EntityRef(EntityKind.Sector, "energi"), only.Entity);
        Assert.Equal(9, only.Seq);
        Assert.Equal(SectorStatus.Down, ((SectorState)only.State).Status);
        Assert.Equal(Said(ReportsApi.StatesOf(second, kind => kind is EntityKind.Sector)), Said(secondLook));
    }

    [Fact]
    public void An_unchanged_record_is_not_read_again_and_a_record_with_new_text_is()
    {
        var parsed = new ParsedStates(kind => kind is EntityKind.Sector);
        var energy = Sector(SectorStatus.Normal);
        var before = Assert.Single(parsed.Read([Record("Sector/energi", 3, energy)]));

        Assert.Same(before, Assert.Single(parsed.Read([Record("Sector/energi", 3, energy)])));

        // The same number with other text (an exercise started again from its beginning) is read again.
        var again = Assert.Single(parsed.Read([Record("Sector/energi", 3, Sector(SectorStatus.SeriouslyDisturbed))]));
        Assert.NotSame(before, again);
        Assert.Equal(SectorStatus.SeriouslyDisturbed, ((SectorState)again.State).Status);
    }
}
