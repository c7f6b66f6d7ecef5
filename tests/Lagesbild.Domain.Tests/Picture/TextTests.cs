using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;

namespace Lagesbild.Domain.Tests.Picture;

/// <summary>The one check of typed text: something visible when it is required, and nothing that reorders it on screen.</summary>
public sealed class TextTests
{
    private static Refusal? Rename(string name) => new UpdateSafetyPointDetails(name, null, null, null, null).Validate();

    [Theory]
    [InlineData("\u200B")]
    [InlineData("\u200B\u200C\u200D")]
    [InlineData("\uFEFF")]
    [InlineData("\u2060\u00AD")]
    [InlineData(" \u200B \u3000")]
    [InlineData("\u0301\u0301")]
    [InlineData("\u3164")]
    public void A_required_text_with_nothing_visible_must_be_given(string invisible)
    {
        var problems = new Problems();

        problems.Text("name", invisible, 100, required: true);

        var refusal = Assert.IsType<Refusal>(problems.ToRefusal());
        Assert.Equal(["Måste anges."], refusal.Errors!["name"]);
    }

    [Theory]
    [InlineData("\u202Egnp.exe")]
    [InlineData("Farsta \u202Aa\u202C")]
    [InlineData("\u202Bx")]
    [InlineData("\u202Dx")]
    [InlineData("a\u2066b\u2069")]
    [InlineData("a\u2067b")]
    [InlineData("a\u2068b")]
    [InlineData("a\u200Eb")]
    [InlineData("a\u200Fb")]
    public void Text_with_a_direction_control_is_refused_and_says_so(string text)
    {
        var refusal = Assert.IsType<Refusal>(Rename(text));

        Assert.Contains(refusal.Errors!["name"], m => m.Contains("riktning"));
    }

    [Theory]
    [InlineData("Zero\u200Bwidth")]
    [InlineData("e\u0301 punkt")]
    [InlineData("😀")]
    [InlineData("𝕱𝖆𝖗𝖘𝖙𝖆")]
    [InlineData("Åäö")]
    public void Text_with_something_visible_is_accepted(string text) =>
        Assert.Null(Rename(text));

    [Fact]
    public void An_optional_text_that_is_absent_is_fine()
    {
        var problems = new Problems();

        problems.Text("limitations", null, 100);

        Assert.False(problems.Any);
    }
}
