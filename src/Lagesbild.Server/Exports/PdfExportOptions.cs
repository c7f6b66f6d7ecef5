using System.ComponentModel.DataAnnotations;

namespace Lagesbild.Server.Exports;

/// <summary>Where the PDF exports' typeface is read from (<see cref="ExportFonts"/>).</summary>
public sealed class PdfExportOptions : IValidatableObject
{
    public const string Section = "Lagesbild:Exports";

    /// <summary>
    /// The folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf; by default where Debian's
    /// fonts-dejavu-core puts them (./run.sh, ./test.sh and the container image install it).
    /// </summary>
    public string FontDirectory { get; set; } = "/usr/share/fonts/truetype/dejavu";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var face in ExportFonts.Faces)
        {
            if (!File.Exists(Path.Combine(FontDirectory, face + ".ttf")))
            {
                yield return new(
                    $"Typsnittet för PDF-exporterna saknas: '{Path.Combine(FontDirectory, face + ".ttf")}'. Installera fonts-dejavu-core (apt-get install fonts-dejavu-core) eller ange mappen med Lagesbild:Exports:FontDirectory.",
                    [nameof(FontDirectory)]);
            }
        }
    }
}
