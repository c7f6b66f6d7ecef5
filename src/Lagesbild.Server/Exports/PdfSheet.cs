using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Lagesbild.Server.Exports;

/// <summary>
/// A PDF export written top to bottom: A4 pages of real text (DejaVu Sans, so it can be searched and
/// copied), each with its header (ÖVNING in a red band on every page of an exercise, never in live)
/// and its footer (the picture, when the export was made, the sequence number it was made at, the
/// page number). The exports say what to write; this says how it looks.
/// </summary>
public sealed class PdfSheet
{
    private const double Margin = 50;
    private const double Top = 62;
    private const double Bottom = 48;
    private const double BandHeight = 34;
    private static readonly XColor ExerciseRed = XColor.FromArgb(0xB0, 0x1C, 0x1C);

    private readonly ExportHeading _heading;
    private readonly PdfDocument _document = new();
    private readonly XFont _body;
    private readonly XFont _bold;
    private readonly XFont _title;
    private readonly XFont _section;
    private readonly XFont _small;
    private XGraphics? _graphics;
    private double _y;

    public PdfSheet(ExportHeading heading)
    {
        _heading = heading;
        _document.Info.Title = $"{heading.Title} – {heading.PictureName}";
        _document.Info.Creator = "Lagesbild";
        _document.Info.CreationDate = heading.MadeAt.UtcDateTime;
        _body = new XFont(ExportFonts.Family, 9.5, XFontStyleEx.Regular);
        _bold = new XFont(ExportFonts.Family, 9.5, XFontStyleEx.Bold);
        _title = new XFont(ExportFonts.Family, 16, XFontStyleEx.Bold);
        _section = new XFont(ExportFonts.Family, 11.5, XFontStyleEx.Bold);
        _small = new XFont(ExportFonts.Family, 8, XFontStyleEx.Regular);
        NewPage();
        Write(heading.Title, _title, 0, 22);
        Write(heading.Subtitle, _body, 0, 10);
    }

    private XGraphics Graphics => _graphics!;
    private double Width => _document.Pages[^1].Width.Point - 2 * Margin;
    private double PageBottom => _document.Pages[^1].Height.Point - Bottom;

    /// <summary>A section's heading, kept on the same page as at least a few lines after it.</summary>
    public void Section(string text)
    {
        if (_y + 60 > PageBottom)
            NewPage();
        _y += 8;
        Write(text, _section, 0, 17);
    }

    /// <summary>A paragraph, wrapped to the page; a line break in the text starts a new line.</summary>
    public void Paragraph(string? text, double indent = 0, bool bold = false)
    {
        if (!string.IsNullOrWhiteSpace(text))
            Write(text, bold ? _bold : _body, indent, 13);
    }

    /// <summary>A label and its value: "Mandat: central krisledning".</summary>
    public void Fact(string label, string? value, double indent = 0)
    {
        if (!string.IsNullOrWhiteSpace(value))
            Write($"{label}: {value}", _body, indent, 13, boldPrefix: label.Length + 1);
    }

    /// <summary>Space between two items of a list.</summary>
    public void Gap(double points = 6) => _y += points;

    public byte[] ToBytes()
    {
        _graphics?.Dispose();
        _graphics = null;
        // Page numbers need the count, known only now: each page gets its footer last.
        var count = _document.PageCount;
        for (var i = 0; i < count; i++)
        {
            var page = _document.Pages[i];
            using var graphics = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var y = page.Height.Point - Bottom + 18;
            graphics.DrawLine(XPens.Gray, Margin, y - 6, page.Width.Point - Margin, y - 6);
            graphics.DrawString(_heading.Footer, _small, XBrushes.DimGray, new XRect(Margin, y, page.Width.Point - 2 * Margin, 12), XStringFormats.TopLeft);
            graphics.DrawString($"Sida {i + 1} av {count}", _small, XBrushes.DimGray, new XRect(Margin, y, page.Width.Point - 2 * Margin, 12), XStringFormats.TopRight);
        }
        using var output = new MemoryStream();
        _document.Save(output, closeStream: false);
        return output.ToArray();
    }

    private void NewPage()
    {
        _graphics?.Dispose();
        var page = _document.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        _graphics = XGraphics.FromPdfPage(page);
        var width = page.Width.Point;
        if (_heading.IsExercise)
        {
            // An exercise's export must never be taken for the real picture, whichever page is lifted out of it.
            Graphics.DrawRectangle(new XSolidBrush(ExerciseRed), 0, 0, width, BandHeight);
            Graphics.DrawString($"ÖVNING – {_heading.PictureName}", new XFont(ExportFonts.Family, 15, XFontStyleEx.Bold), XBrushes.White,
                new XRect(0, 0, width, BandHeight), XStringFormats.Center);
        }
        else
        {
            Graphics.DrawString(_heading.PictureName, _small, XBrushes.DimGray, new XRect(Margin, 20, width - 2 * Margin, 12), XStringFormats.TopLeft);
        }
        Graphics.DrawString(_heading.Title, _small, XBrushes.DimGray, new XRect(Margin, BandHeight + 6, width - 2 * Margin, 12), XStringFormats.TopRight);
        _y = Top;
    }

    private void Write(string text, XFont font, double indent, double lineHeight, int boldPrefix = 0)
    {
        foreach (var paragraph in text.ReplaceLineEndings("\n").Split('\n'))
        {
            foreach (var line in Wrap(paragraph, font, Width - indent))
            {
                if (_y + lineHeight > PageBottom)
                    NewPage();
                var x = Margin + indent;
                if (boldPrefix > 0 && line.Length >= boldPrefix)
                {
                    // The label in bold, its value after it, on the first line.
                    var label = line[..boldPrefix];
                    Graphics.DrawString(label, _bold, XBrushes.Black, new XPoint(x, _y), XStringFormats.TopLeft);
                    x += Graphics.MeasureString(label + " ", _bold).Width;
                    Graphics.DrawString(line[boldPrefix..].TrimStart(), font, XBrushes.Black, new XPoint(x, _y), XStringFormats.TopLeft);
                    boldPrefix = 0;
                }
                else
                {
                    Graphics.DrawString(line, font, XBrushes.Black, new XPoint(x, _y), XStringFormats.TopLeft);
                }
                _y += lineHeight;
            }
        }
    }

    /// <summary>Breaks a paragraph into lines that fit, at spaces; a word longer than a line is cut.</summary>
    private IEnumerable<string> Wrap(string paragraph, XFont font, double width)
    {
        var line = "";
        foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : $"{line} {word}";
            if (Graphics.MeasureString(candidate, font).Width <= width)
            {
                line = candidate;
                continue;
            }
            if (line.Length > 0)
                yield return line;
            line = word;
            while (line.Length > 1 && Graphics.MeasureString(line, font).Width > width)
            {
                var fits = line.Length - 1;
                while (fits > 1 && Graphics.MeasureString(line[..fits], font).Width > width)
                    fits--;
                yield return line[..fits];
                line = line[fits..];
            }
        }
        if (line.Length > 0)
            yield return line;
    }
}
