using System.ComponentModel.DataAnnotations;

namespace Lagesbild.Server.Access;

/// <summary>What Lagesbild tells residents, and as whom (<c>Lagesbild:Public</c>).</summary>
public sealed class PublicOptions
{
    public const string Section = "Lagesbild:Public";

    /// <summary>CAP's sender: who the messages come from, without spaces, commas or &amp; / &lt;.</summary>
    [Required, RegularExpression(@"^[^\s,&<]+$", ErrorMessage = "Lagesbild:Public:CapSender får inte innehålla mellanslag, komma, & eller <.")]
    public string CapSender { get; set; } = "lagesbild@stockholm.se";

    /// <summary>The residents' page, which every message links to.</summary>
    [Required, Url]
    public string PublicPage { get; set; } = "https://lagesbild.stockholm.se/?view=public";

    /// <summary>How many of a picture's newest messages are kept to be read.</summary>
    [Range(10, 100_000)]
    public int CapMessagesKept { get; set; } = 1000;
}
