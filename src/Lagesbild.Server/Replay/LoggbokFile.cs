using System.Text;
using System.Text.Json;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Picture;
using Lagesbild.Server.Live;

namespace Lagesbild.Server.Replay;

/// <summary>
/// The first line of a picture's loggbok as a file: which picture, how many entries, and what
/// the rest must add up to (the hash chain's last link, the picture's digest at the last entry).
/// </summary>
public sealed record LoggbokFileHeader(
    string Format, int Version, string Picture, DateTimeOffset ExportedAt, long Count, long FirstSeq, long LastSeq, string? LastLink, string Digest);

/// <summary>Why a file cannot be imported, and on which line (null when it is the file as a whole).</summary>
public sealed record LoggbokFileProblem(long? Line, string Message);

/// <summary>
/// A picture's whole loggbok as one file (NDJSON): a header line, then one line per entry,
/// <c>{"link":…,"entry":{…}}</c>, the entry exactly as stored and its link in the hash chain
/// (SHA-1 of the previous link and the entry, as the store keeps it: <see cref="LoggbokChain"/>).
/// The per-line link lets an import say on which line a file was damaged, not only that it was.
/// The file holds every internal note, which is why only central krisledning may take it out.
/// </summary>
public static class LoggbokFile
{
    public const string Format = "lagesbild-loggbok";
    public const int Version = 1;
    public const string ContentType = "application/x-ndjson";
    /// <summary>The largest file an import reads: a busy exercise of 100,000 entries is about a tenth of it.</summary>
    public const long MaxBytes = 1024L * 1024 * 1024;
    private const int Batch = 1000;

    /// <summary>
    /// Reads the loggbok once through to its current end for the header (the chain's last link
    /// and the digest); null and why not when an entry is missing.
    /// </summary>
    public static async Task<(LoggbokFileHeader? Header, string? Problem)> HeaderAsync(PictureStore store, PictureReplay replay, PictureKeys keys, DateTimeOffset now)
    {
        var last = await store.CurrentSeqAsync(keys);
        string? link = null;
        for (var after = 0L; after < last; after += Batch)
        {
            var entries = await store.ReadEntriesWithGapsAsync(keys, after, Math.Min(last, after + Batch));
            for (var i = 0; i < entries.Length; i++)
            {
                if (entries[i] is not { } entry)
                    return (null, $"Post {after + 1 + i} saknas i loggboken, så den kan inte exporteras hel. GET …/loggbok/verify visar var den är skadad.");
                link = LoggbokChain.Link(link, entry);
            }
        }
        var digest = (await replay.AtAsync(keys, last)).Digest();
        return (new LoggbokFileHeader(Format, Version, keys.Picture, now, last, last == 0 ? 0 : 1, last, link, digest), null);
    }

    /// <summary>Writes the file for a header from <see cref="HeaderAsync"/>: the entries through its last one.</summary>
    public static async Task WriteAsync(Stream output, LoggbokFileHeader header, PictureStore store, PictureKeys keys, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024);
        await writer.WriteAsync(JsonSerializer.Serialize(header, DomainJson.Options));
        await writer.WriteAsync('\n');
        string? link = null;
        for (var after = 0L; after < header.LastSeq; after += Batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var entry in await store.ReadEntriesAsync(keys, after, Math.Min(header.LastSeq, after + Batch)))
            {
                link = LoggbokChain.Link(link, entry);
                await writer.WriteAsync($"{{\"link\":\"{link}\",\"entry\":{entry}}}\n");
            }
        }
    }

    /// <summary>
    /// Reads and checks a whole file before anything is stored: the header, then every line in
    /// order (valid JSON, the next sequence number, its link, a whole entry of the file's picture),
    /// then that nothing is missing at the end and that the picture it builds has the header's
    /// digest. Entries are given to <paramref name="target"/> (their <c>picture</c> renamed when it
    /// differs, and the chain linked anew), with the records and checkpoints the import stores.
    /// </summary>
    public static async Task<(ImportedPicture? Picture, LoggbokFileHeader? Header, LoggbokFileProblem? Problem)> ReadAsync(Stream body, string target)
    {
        using var reader = new StreamReader(body, new UTF8Encoding(false, throwOnInvalidBytes: true), false, 64 * 1024);
        string? line;
        try
        {
            line = await reader.ReadLineAsync();
        }
        catch (DecoderFallbackException)
        {
            return Refuse(1, "Rad 1 är inte UTF-8: filen är skadad.");
        }
        if (line is null || ReadHeader(line) is not { } header)
            return Refuse(1, "Rad 1 är inget huvud för en loggbok från Lagesbild (format, version, picture, count, firstSeq, lastSeq, lastLink, digest): filen är skadad eller av fel slag.");
        if (header.Version != Version)
            return Refuse(1, $"Rad 1: filen har version {header.Version}; den här versionen av Lagesbild läser version {Version}.");
        if (header.FirstSeq != (header.Count == 0 ? 0 : 1) || header.LastSeq != header.Count)
            return Refuse(1, $"Rad 1: en hel loggbok börjar på post 1 och har lika många poster som sista postens nummer (huvudet säger {header.Count} poster, {header.FirstSeq}–{header.LastSeq}).");

        var rename = header.Picture != target;
        var entries = new List<ImportedEntry>((int)Math.Min(header.Count, 1_000_000));
        var checkpoints = new Dictionary<long, string>();
        var folded = new FoldedPicture();
        string? fileLink = null, storeLink = null;
        long number = 1;
        while (true)
        {
            try
            {
                line = await reader.ReadLineAsync();
            }
            catch (DecoderFallbackException)
            {
                return Refuse(number + 1, $"Rad {number + 1} är inte UTF-8: filen är skadad.");
            }
            if (line is null)
                break;
            number++;
            var seq = number - 1;
            if (seq > header.Count)
                return Refuse(number, $"Rad {number}: filen har fler poster än huvudets {header.Count}.");
            string entry, link;
            string? district;
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                link = root.GetProperty("link").GetString()!;
                var element = root.GetProperty("entry");
                entry = element.GetRawText();
                district = element.GetProperty("district").GetString();
                if (element.GetProperty("picture").GetString() != header.Picture)
                    return Refuse(number, $"Rad {number}: posten hör till lägesbilden '{element.GetProperty("picture").GetString()}', filen till '{header.Picture}'.");
            }
            catch (Exception error) when (error is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return Refuse(number, $"Rad {number} är ingen hel loggbokspost (JSON med link och entry): filen är skadad eller avkortad.");
            }
            long carried;
            try
            {
                carried = EntryJson.SeqOf(entry);
            }
            catch (Exception error) when (error is FormatException or OverflowException or ArgumentOutOfRangeException)
            {
                return Refuse(number, $"Rad {number}: posten börjar inte med sitt sekvensnummer: filen är skadad.");
            }
            if (carried != seq)
                return Refuse(number, $"Rad {number} har post {carried} där post {seq} skulle stå: filen är omkastad eller saknar poster.");
            fileLink = LoggbokChain.Link(fileLink, entry);
            if (fileLink != link)
                return Refuse(number, $"Rad {number} (post {seq}) stämmer inte med sin länk i kedjan: posten, eller en post före den, har ändrats.");

            if (rename)
                entry = Renamed(entry, header.Picture, target);
            LiveEntry parsed;
            try
            {
                parsed = LiveEntry.Parse(entry);
            }
            catch (Exception error) when (error is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                return Refuse(number, $"Rad {number} (post {seq}) saknar något en loggbokspost har (tid, vem, entitet, tillstånd).");
            }
            if (!EntityRef.TryParse(parsed.EntityKey, out var entity))
                return Refuse(number, $"Rad {number} (post {seq}) ändrar '{parsed.EntityKey}', som ingen lägesbild har.");
            storeLink = rename ? LoggbokChain.Link(storeLink, entry) : fileLink;
            folded.Apply(parsed);
            entries.Add(new ImportedEntry(seq, parsed.Utf8, storeLink, entity, district, parsed.At));
            if (seq % PictureReplay.Interval == 0)
                checkpoints[seq] = folded.ToCheckpoint();
        }

        if (number - 1 < header.Count)
            return Refuse(null, $"Filen slutar efter rad {number} (post {number - 1}), men huvudet säger {header.Count} poster: filen är avkortad.");
        if (fileLink != header.LastLink)
            return Refuse(null, "Sista postens länk är inte den huvudet anger: filen är skadad.");
        if (folded.Digest() != header.Digest)
            return Refuse(null, "Lägesbilden som posterna bygger upp har inte huvudets fingeravtryck (digest): filen är skadad.");
        var records = folded.Records.ToDictionary(r => r.Key, r => (r.Value.Seq, r.Value.Record), StringComparer.Ordinal);
        return (new ImportedPicture(entries, records, checkpoints), header, null);

        static (ImportedPicture?, LoggbokFileHeader?, LoggbokFileProblem?) Refuse(long? line, string message) => (null, null, new LoggbokFileProblem(line, message));
    }

    private static LoggbokFileHeader? ReadHeader(string line)
    {
        try
        {
            var header = JsonSerializer.Deserialize<LoggbokFileHeader>(line, DomainJson.Options);
            return header is { Format: Format, Picture.Length: > 0, Digest.Length: > 0 } && PictureId.IsValid(header.Picture) ? header : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The entry as the target picture's: its <c>picture</c> is written right after its id, before anything a person typed.</summary>
    private static string Renamed(string entry, string from, string to)
    {
        var field = $"\"picture\":{JsonSerializer.Serialize(from, DomainJson.Options)}";
        var at = entry.IndexOf(field, StringComparison.Ordinal);
        return entry[..at] + $"\"picture\":{JsonSerializer.Serialize(to, DomainJson.Options)}" + entry[(at + field.Length)..];
    }
}
