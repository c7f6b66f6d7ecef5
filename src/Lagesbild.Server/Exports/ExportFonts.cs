using PdfSharp.Fonts;

namespace Lagesbild.Server.Exports;

/// <summary>
/// The one typeface of every PDF export, DejaVu Sans (regular and bold), read once from the
/// folder <see cref="PdfExportOptions"/> names: PDFsharp has no fonts of its own on Linux. DejaVu
/// covers å, ä, ö and the rest of what Swedish text needs, and is a Debian package on every
/// machine Lagesbild runs on, so no font file is kept in the repository.
/// </summary>
public sealed class ExportFonts(IReadOnlyDictionary<string, byte[]> faces) : IFontResolver
{
    public const string Family = "DejaVu Sans";
    private const string Regular = "DejaVuSans";
    private const string Bold = "DejaVuSans-Bold";

    public static readonly string[] Faces = [Regular, Bold];

    private static readonly Lock Gate = new();
    private static bool _installed;

    /// <summary>Makes these fonts PDFsharp's, once per process (PDFsharp keeps one resolver for the process).</summary>
    public static void Install(string directory)
    {
        lock (Gate)
        {
            if (_installed)
                return;
            GlobalFontSettings.FontResolver = new ExportFonts(Faces.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(directory, f + ".ttf"))));
            _installed = true;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? Bold : Regular);

    public byte[]? GetFont(string faceName) => faces[faceName];
}
