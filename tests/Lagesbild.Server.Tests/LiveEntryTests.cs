using Lagesbild.Server.Live;

namespace Lagesbild.Server.Tests;

/// <summary>
/// The node that stored an entry gets it twice, handed over by its grain and announced over pub/sub, and drops
/// the second by the sequence number at the entry's start: that number must be read exactly, or not at all.
/// </summary>
public sealed class LiveEntryTests
{
    [Theory]
    [InlineData("""{"seq":1,"id":"a"}""", 1L)]
    [InlineData("""{"seq":12345,"id":"a"}""", 12345L)]
    [InlineData("""{"seq":9007199254740993,"picture":"live"}""", 9007199254740993L)]
    public void The_sequence_number_is_read_from_the_start_of_a_stored_entry(string entry, long seq) =>
        Assert.Equal(seq, LiveEntry.LeadingSeq(entry));

    [Theory]
    [InlineData("""{"id":"a","seq":12}""")]
    [InlineData("""{ "seq":12}""")]
    [InlineData("""{"seq":"12"}""")]
    [InlineData("""{"seq":-3}""")]
    [InlineData("""{"seq":99999999999999999999}""")]
    [InlineData("")]
    public void An_entry_that_does_not_start_with_its_number_is_never_dropped_by_it(string entry) =>
        Assert.Null(LiveEntry.LeadingSeq(entry));
}
