using PdfSharp.Fonts;

namespace Lagesbild.Server.Exports;

/// <summary>
/// The one typeface of every PDF export, DejaVu Sans (regular and bold), read from the server's own
/// assembly: PDFsharp has no fonts of its own on Linux, and a container has none to lend it. DejaVu
/// covers å, ä, ö and the rest of what Swedish text needs; its licence is in Fonts/LICENSE.txt.
/// </summary>
public sealed class ExportFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";
    private const string Regular = "DejaVuSans";
    private const string Bold = "DejaVuSans-Bold";

    private static readonly Lock Gate = new();
    private static bool _installed;

    /// <summary>Makes these fonts PDFsharp's, once per process (PDFsharp keeps one resolver for the process).</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (_installed)
                return;
            GlobalFontSettings.FontResolver = new ExportFonts();
            _installed = true;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? Bold : Regular);

    public byte[]? GetFont(string faceName)
    {
        using var stream = typeof(ExportFonts).Assembly.GetManifestResourceStream($"Lagesbild.Server.Exports.Fonts.{faceName}.ttf")
            ?? throw new InvalidOperationException($"The font {faceName} is not embedded in the server.");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
