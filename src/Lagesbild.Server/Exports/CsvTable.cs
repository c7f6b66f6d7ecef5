using System.Text;

namespace Lagesbild.Server.Exports;

/// <summary>
/// A table as CSV by RFC 4180 (CRLF between records; a field with the separator, a quote or a line
/// break is quoted and its quotes doubled), written for Swedish Excel:
/// <list type="bullet">
/// <item>UTF-8 with a byte order mark, or Excel reads å, ä, ö as the Windows code page;</item>
/// <item><c>;</c> between fields, because Excel with Swedish settings separates a list with <c>;</c>
/// (the decimal mark is the comma) and opens a comma-separated file as one column;</item>
/// <item>a field that begins with <c>=</c>, <c>+</c>, <c>-</c> or <c>@</c> (or a tab or carriage return) is
/// prefixed with <c>'</c>, so a text someone typed into a report is never run as a formula (CSV injection).</item>
/// </list>
/// </summary>
public sealed class CsvTable
{
    public const char Separator = ';';
    public const string ContentType = "text/csv; charset=utf-8";

    private readonly StringBuilder _text = new();

    public CsvTable(params string[] headings) => Row(headings);

    public void Row(params IEnumerable<string?> fields)
    {
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
                _text.Append(Separator);
            first = false;
            _text.Append(Field(field));
        }
        _text.Append("\r\n");
    }

    /// <summary>One field as it is written: neutralised, then quoted when it must be.</summary>
    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            value = "'" + value;
        return value.IndexOfAny([Separator, '"', '\n', '\r']) >= 0
            ? $"\"{value.Replace("\"", "\"\"")}\""
            : value;
    }

    public byte[] ToBytes() => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(_text.ToString())];
}
