using System.Globalization;
using System.Text;

namespace Lagesbild.Domain.Picture;

/// <summary>Collects per-field validation problems so a caller hears about all of them at once.</summary>
public sealed class Problems
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
            _errors[field] = list = [];
        list.Add(message);
    }

    /// <summary>A text counts as given only when something of it can be seen (see <see cref="HasVisibleCharacter"/>).</summary>
    public void Required(string field, object? value)
    {
        if (value is null || value is string s && !HasVisibleCharacter(s))
            Add(field, "Måste anges.");
    }

    /// <summary>
    /// The one check of a text a person typed. Control characters are refused, and so are the
    /// invisible characters that reverse or reorder the text around them (U+202E turns
    /// "gnp.exe" into "exe.png" on screen), since a name must read the same to everyone.
    /// </summary>
    public void Text(string field, string? value, int maxLength, bool required = false)
    {
        if (required)
            Required(field, value);
        if (value is null)
            return;
        if (value.Length > maxLength)
            Add(field, $"Får vara högst {maxLength} tecken (är {value.Length}).");
        if (value.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
            Add(field, "Innehåller otillåtna styrtecken.");
        if (value.Any(IsDirectionControl))
            Add(field, "Innehåller osynliga tecken som ändrar textens riktning (t.ex. U+202E); ta bort dem.");
    }

    /// <summary>
    /// True when the text has a character that shows: not only spaces, zero-width characters
    /// (U+200B–U+200D, U+2060, the byte order mark U+FEFF and other format characters) or
    /// combining marks with nothing to sit on.
    /// </summary>
    public static bool HasVisibleCharacter(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune) || Rune.IsControl(rune))
                continue;
            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark)
                continue;
            // Hangul fillers and the braille blank are letters and symbols that draw nothing.
            if (rune.Value is 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800)
                continue;
            return true;
        }
        return false;
    }

    /// <summary>Bidirectional embeddings, overrides, isolates and marks: U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C.</summary>
    private static bool IsDirectionControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C';

    public void Range(string field, int? value, int min, int max, bool required = true)
    {
        if (value is null)
        {
            if (required)
                Add(field, "Måste anges.");
            return;
        }
        if (value < min || value > max)
            Add(field, $"Måste vara mellan {min} och {max} (är {value}).");
    }

    public void Range(string field, double? value, double min, double max, bool required = true)
    {
        if (value is null)
        {
            if (required)
                Add(field, "Måste anges.");
            return;
        }
        if (!double.IsFinite(value.Value) || value < min || value > max)
            Add(field, $"Måste vara mellan {min} och {max} (är {value}).");
    }

    public void Defined<TEnum>(string field, TEnum? value, bool required = true) where TEnum : struct, Enum
    {
        if (value is null)
        {
            if (required)
                Add(field, "Måste anges.");
            return;
        }
        if (!Enum.IsDefined(value.Value))
            Add(field, $"Okänt värde. Tillåtna: {string.Join(", ", Enum.GetNames<TEnum>())}.");
    }

    public Refusal? ToRefusal() =>
        Any ? Refusal.Invalid(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray())) : null;
}
