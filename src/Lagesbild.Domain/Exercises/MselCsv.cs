using System.Globalization;
using System.Text;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Exercises;

/// <summary>One thing wrong in a scenario file: the spreadsheet's row (the heading is row 1) and column, and what is wrong.</summary>
public sealed record MselError(int Row, string Column, string Message)
{
    /// <summary>Where, as a person finds it in the spreadsheet: "rad 3, kolumn B (tid)".</summary>
    public string Where => Column.Length == 0 ? $"rad {Row}" : $"rad {Row}, {Column}";
}

/// <summary>A scenario file read: every inspel, or every error found (never both).</summary>
public sealed record MselImport(IReadOnlyList<Inject> Injects, IReadOnlyList<MselError> Errors)
{
    /// <summary>All the errors as one refusal, keyed by where they are, so a caller hears about all of them at once.</summary>
    public Refusal? ToRefusal() => Errors.Count == 0
        ? null
        : new Refusal(RefusalKind.Invalid,
            $"Scenariofilen har {Errors.Count} fel och lästes inte in; ingenting ändrades. Rätta raderna och läs in filen igen.",
            Errors.GroupBy(e => e.Where).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));
}

/// <summary>
/// The scenario (MSEL, master events list) as the CSV file exercise control edits in a spreadsheet:
/// one inspel per row under a heading row. Swedish Excel writes <c>;</c> between fields and others
/// <c>,</c>; both are read, UTF-8 with or without a byte order mark, fields quoted as RFC 4180 says.
/// Every row is checked and every error reported with its row and column; a file with any error
/// gives no inspel at all.
/// </summary>
public static class MselCsv
{
    public const int MaxRows = 2000;
    public const int TextLimit = 2000;
    public const int NameLimit = 200;

    /// <summary>The columns in the order a new file has them, with the headings read for each (Swedish first, as written in a new file).</summary>
    public static readonly IReadOnlyList<(string Name, string[] Headings)> Columns =
    [
        ("id", ["id", "inspel"]),
        ("tid", ["tid", "scenariotid", "time"]),
        ("leverans", ["leverans", "delivery"]),
        ("från", ["från", "fran", "from"]),
        ("till", ["till", "to"]),
        ("text", ["text"]),
        ("förväntad åtgärd", ["förväntad åtgärd", "forvantad atgard", "expected action"]),
        ("mål", ["mål", "övningsmål", "mal", "objective"]),
    ];

    /// <summary>The words of the leverans column.</summary>
    public static readonly IReadOnlyDictionary<string, InjectDelivery> Deliveries = new Dictionary<string, InjectDelivery>(StringComparer.OrdinalIgnoreCase)
    {
        ["meddelande"] = InjectDelivery.Message,
        ["sektor-utslagen"] = InjectDelivery.SectorDown,
        ["punkt-utan-el"] = InjectDelivery.PointLosesPower,
    };

    /// <summary>The longest scenario time taken: an exercise runs for days at most.</summary>
    public static readonly TimeSpan LongestScenario = TimeSpan.FromHours(99);

    public static MselImport Parse(string text, ScenarioTargets targets)
    {
        var errors = new List<MselError>();
        var content = text.TrimStart('\uFEFF');
        var records = Records(content, Separator(content), errors);
        if (records.Count == 0 || records[0].All(string.IsNullOrWhiteSpace))
        {
            errors.Add(new MselError(1, "", "Filen saknar rubrikraden (" + string.Join(";", Columns.Select(c => c.Name)) + ")."));
            return new MselImport([], errors);
        }

        var heading = records[0];
        var positions = new Dictionary<string, int>();
        foreach (var (name, headings) in Columns)
        {
            var at = heading.FindIndex(h => headings.Contains(h.Trim(), StringComparer.OrdinalIgnoreCase));
            if (at < 0)
                errors.Add(new MselError(1, name, $"Kolumnen '{name}' saknas i rubrikraden."));
            else
                positions[name] = at;
        }
        if (errors.Count > 0)
            return new MselImport([], errors);
        if (records.Count - 1 > MaxRows)
        {
            errors.Add(new MselError(MaxRows + 2, "", $"Ett scenario har högst {MaxRows} inspel (filen har {records.Count - 1})."));
            return new MselImport([], errors);
        }

        var injects = new List<Inject>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 1; i < records.Count; i++)
        {
            var fields = records[i];
            if (fields.All(string.IsNullOrWhiteSpace))
                continue;
            var row = new Row(i + 1, fields, positions, errors);
            var id = row.Required("id", 40);
            if (id is not null && !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                row.Error("id", "Ett inspels id består av bokstäver a–z, siffror, '-', '_' och '.'.");
            else if (id is not null && !seen.TryAdd(id, row.Number))
                row.Error("id", $"Id '{id}' finns redan på rad {seen[id]}; varje inspel har ett eget id.");
            var at = row.Required("tid", 20) is { } time ? row.Time("tid", time) : null;
            InjectDelivery? delivery = null;
            if (row.Required("leverans", 40) is { } how)
            {
                if (Deliveries.TryGetValue(how.Replace(' ', '-'), out var known))
                    delivery = known;
                else
                    row.Error("leverans", $"Okänd leverans '{how}'. Tillåtna: {string.Join(", ", Deliveries.Keys)}.");
            }
            var from = row.Required("från", NameLimit);
            var to = row.Required("till", 60);
            InjectTargetKind? toKind = null;
            if (to is not null && delivery is { } d)
            {
                toKind = targets.Resolve(d, to);
                if (toKind is null)
                    row.Error("till", UnknownTarget(d, to));
            }
            var body = row.Required("text", TextLimit);
            var expected = row.Optional("förväntad åtgärd", TextLimit);
            var objective = row.Optional("mål", NameLimit);
            if (!row.HasErrors)
                injects.Add(new Inject(id!, at!.Value, delivery!.Value, from!, toKind!.Value, to!, body!, expected, objective));
        }
        return errors.Count > 0 ? new MselImport([], errors) : new MselImport(injects, []);
    }

    private static string UnknownTarget(InjectDelivery delivery, string to) => delivery switch
    {
        InjectDelivery.Message => $"Okänd mottagare '{to}': ett meddelande går till ett stadsdelsområde, en sektor eller ett krisledningsorgan i övningen (med dess id).",
        InjectDelivery.SectorDown => $"Okänd sektor '{to}' (ange sektorns id).",
        _ => $"Okänd trygghetspunkt '{to}' (ange punktens id).",
    };

    /// <summary>The separator the heading row uses: the one of <c>;</c> and <c>,</c> that occurs more often outside quotes.</summary>
    private static char Separator(string text)
    {
        int semicolons = 0, commas = 0;
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"')
                quoted = !quoted;
            else if (!quoted && c is '\n' or '\r')
                break;
            else if (!quoted && c == ';')
                semicolons++;
            else if (!quoted && c == ',')
                commas++;
        }
        return semicolons >= commas && semicolons > 0 ? ';' : ',';
    }

    /// <summary>The file's records (RFC 4180: quoted fields may hold separators, line breaks and doubled quotes).</summary>
    private static List<List<string>> Records(string text, char separator, List<MselError> errors)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                    quoted = false;
                else
                    field.Append(c);
            }
            else if (c == '"' && field.Length == 0)
                quoted = true;
            else if (c == separator)
            {
                record.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    i++;
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
            }
            else
                field.Append(c);
        }
        if (quoted)
            errors.Add(new MselError(records.Count + 1, "", "Ett citattecken (\") öppnas men stängs aldrig; resten av filen blev ett enda fält."));
        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            records.Add(record);
        }
        return records;
    }

    /// <summary>One data row being read: its fields by column name, and the errors it adds.</summary>
    private sealed class Row(int number, List<string> fields, Dictionary<string, int> positions, List<MselError> errors)
    {
        private readonly int _errorsBefore = errors.Count;

        public int Number => number;
        public bool HasErrors => errors.Count > _errorsBefore;

        public void Error(string column, string message) =>
            errors.Add(new MselError(number, $"kolumn {Letter(positions[column])} ({column})", message));

        public string? Optional(string column, int limit)
        {
            var at = positions[column];
            var value = at < fields.Count ? fields[at].Trim() : "";
            if (value.Length == 0)
                return null;
            var problems = new Problems();
            problems.Text(column, value, limit);
            if (problems.ToRefusal()?.Errors?[column] is { } wrong)
            {
                foreach (var message in wrong)
                    Error(column, message);
                return null;
            }
            return value;
        }

        public string? Required(string column, int limit)
        {
            var value = Optional(column, limit);
            if (value is null && !HasErrorIn(column))
                Error(column, "Måste anges.");
            return value;
        }

        /// <summary>Scenario time since the exercise started: h:mm or h:mm:ss, optionally written T+h:mm.</summary>
        public TimeSpan? Time(string column, string value)
        {
            var text = value.StartsWith("T+", StringComparison.OrdinalIgnoreCase) ? value[2..] : value.TrimStart('+');
            var parts = text.Split(':');
            if (parts.Length is 2 or 3
                && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit))
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
                && parts.Skip(1).All(p => p.Length == 2 && int.Parse(p, CultureInfo.InvariantCulture) < 60))
            {
                var at = new TimeSpan(hours, int.Parse(parts[1], CultureInfo.InvariantCulture), parts.Length == 3 ? int.Parse(parts[2], CultureInfo.InvariantCulture) : 0);
                if (at <= LongestScenario)
                    return at;
                Error(column, $"'{value}' ligger för långt fram; ett scenario är högst {LongestScenario.TotalHours:0} timmar.");
                return null;
            }
            Error(column, $"'{value}' är ingen scenariotid. Skriv tiden sedan övningens start som tt:mm eller tt:mm:ss, t.ex. 01:30.");
            return null;
        }

        private bool HasErrorIn(string column) => errors.Skip(_errorsBefore).Any(e => e.Column.EndsWith($"({column})", StringComparison.Ordinal));

        private static string Letter(int index) => index < 26 ? ((char)('A' + index)).ToString() : $"{(char)('A' + index / 26 - 1)}{(char)('A' + index % 26)}";
    }
}
