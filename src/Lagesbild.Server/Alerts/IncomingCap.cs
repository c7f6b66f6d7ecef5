using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using Lagesbild.Domain.SafetyPoints;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;

namespace Lagesbild.Server.Alerts;

/// <summary>A reference to an earlier message (CAP 1.2, 3.2.1 <c>references</c>: <c>sender,identifier,sent</c>).</summary>
public sealed record CapReference(string Sender, string Identifier);

/// <summary>
/// An incoming CAP 1.2 message as Lagesbild reads it: checked against the standard's schema, with no DTD (so no
/// external entity is ever resolved), its sent time not ahead of ours and every area a valid ring. Only the first
/// <c>info</c> block (in Swedish when one is) is read: it names the event, its severity and its area.
/// </summary>
public sealed record IncomingCap(
    string Identifier,
    string Sender,
    DateTimeOffset Sent,
    string Status,
    string MsgType,
    ImmutableArray<CapReference> References,
    string Event,
    string? Urgency,
    string? Severity,
    string? SenderName,
    string? Headline,
    string? Description,
    string? AreaDesc,
    ImmutableArray<ImmutableArray<GeoPosition>> Areas)
{
    /// <summary>Most rings and points taken: an area is drawn on every open map, so it stays a shape, not a survey.</summary>
    public const int MostRings = 20;
    public const int MostPoints = 1000;

    /// <summary>Why a message is refused: 400 with the problems each with the line and position they were found at.</summary>
    public sealed record Refused(string Detail, ImmutableArray<string> Errors);

    private static readonly XNamespace Cap = CapSchema.Namespace;
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    public static (IncomingCap? Message, Refused? Refusal) Read(ReadOnlyMemory<byte> body, CapSchema schema, DateTimeOffset now, TimeSpan aheadTolerance)
    {
        var errors = new List<string>();
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            ValidationType = ValidationType.Schema,
            Schemas = schema.Set!,
            // An element outside the CAP namespace is only a warning to the validator; to us it is not CAP.
            ValidationFlags = XmlSchemaValidationFlags.ReportValidationWarnings,
        };
        settings.ValidationEventHandler += (_, e) => errors.Add(At(e.Exception.LineNumber, e.Exception.LinePosition, e.Message));
        XDocument document;
        try
        {
            using var stream = new MemoryStream(body.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, settings);
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException error) when (error.Message.Contains("DTD", StringComparison.Ordinal))
        {
            // The reader stops at the declaration without saying where; the sender is told the line it is on.
            var text = Encoding.UTF8.GetString(body.Span);
            var at = text.IndexOf("<!DOCTYPE", StringComparison.OrdinalIgnoreCase);
            var line = at < 0 ? error.LineNumber : text[..at].Count(c => c == '\n') + 1;
            var position = at < 0 ? error.LinePosition : at - text.LastIndexOf('\n', Math.Max(0, at - 1));
            return (null, new Refused("Meddelandet innehåller en DTD (<!DOCTYPE …>). DTD:er och entiteter tas inte emot i CAP-meddelanden.",
                [At(line, position, "DTD är inte tillåten.")]));
        }
        catch (XmlException error)
        {
            return (null, new Refused("Meddelandet är inte välformad XML.", [At(error.LineNumber, error.LinePosition, error.Message)]));
        }
        if (errors.Count > 0)
            return (null, new Refused($"Meddelandet följer inte CAP 1.2-schemat ({errors.Count} fel).", [.. errors]));

        var alert = document.Root!;
        string? Text(XElement parent, string name) => parent.Element(Cap + name)?.Value.Trim() is { Length: > 0 } value ? value : null;
        var sent = DateTimeOffset.Parse(Text(alert, "sent")!, CultureInfo.InvariantCulture);
        if (sent - now > aheadTolerance)
            errors.Add(At(alert.Element(Cap + "sent")!, $"sent ({sent:yyyy-MM-dd HH:mm:sszzz}) ligger {(sent - now).TotalMinutes:0} minuter fram i tiden."));
        var references = (Text(alert, "references") ?? "")
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(r => r.Split(','))
            .Select(parts => parts.Length >= 2 ? new CapReference(parts[0], parts[1]) : null)
            .ToList();
        if (references.Any(r => r is null))
            errors.Add(At(alert.Element(Cap + "references")!, "references ska vara avsändare,identifierare,tid för varje tidigare meddelande."));
        var infos = alert.Elements(Cap + "info").ToList();
        var info = infos.FirstOrDefault(i => Text(i, "language")?.StartsWith("sv", StringComparison.OrdinalIgnoreCase) == true) ?? infos.FirstOrDefault();
        var msgType = Text(alert, "msgType")!;
        if (info is null && msgType is "Alert" or "Update")
            errors.Add(At(alert, "Ett larm eller en uppdatering behöver ett info-block (vad som hänt, hur allvarligt, var)."));

        var areas = ImmutableArray.CreateBuilder<ImmutableArray<GeoPosition>>();
        var descriptions = new List<string>();
        foreach (var area in info?.Elements(Cap + "area") ?? [])
        {
            if (Text(area, "areaDesc") is { } description)
                descriptions.Add(description);
            foreach (var polygon in area.Elements(Cap + "polygon"))
            {
                if (Ring(polygon.Value, out var problem) is { } ring)
                    areas.Add(ring);
                else
                    errors.Add(At(polygon, problem!));
            }
            foreach (var circle in area.Elements(Cap + "circle"))
            {
                if (Circle(circle.Value, out var problem) is { } ring)
                    areas.Add(ring);
                else
                    errors.Add(At(circle, problem!));
            }
        }
        if (areas.Count > MostRings)
            errors.Add(At(info!, $"Högst {MostRings} områden (polygoner och cirklar) tas emot; meddelandet har {areas.Count}."));
        if (errors.Count > 0)
            return (null, new Refused("Meddelandet går inte att ta emot.", [.. errors]));

        return (new IncomingCap(
            Text(alert, "identifier")!,
            Text(alert, "sender")!,
            sent,
            Text(alert, "status")!,
            msgType,
            [.. references!],
            info is null ? "" : Text(info, "event") ?? "",
            info is null ? null : Text(info, "urgency"),
            info is null ? null : Text(info, "severity"),
            info is null ? null : Text(info, "senderName"),
            info is null ? null : Text(info, "headline"),
            info is null ? null : Text(info, "description"),
            descriptions.Count == 0 ? null : string.Join("; ", descriptions),
            areas.ToImmutable()), null);
    }

    /// <summary>A CAP polygon (3.2.4: at least four <c>lat,lon</c> pairs, the first and last the same) as a ring NetTopologySuite finds valid.</summary>
    private static ImmutableArray<GeoPosition>? Ring(string text, out string? problem)
    {
        var pairs = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (pairs.Length > MostPoints)
        {
            problem = $"Polygonen har {pairs.Length} punkter; högst {MostPoints} tas emot.";
            return null;
        }
        var coordinates = new List<Coordinate>();
        foreach (var pair in pairs)
        {
            if (Point(pair) is not { } point)
            {
                problem = $"'{pair}' är inte en punkt lat,lon i WGS 84.";
                return null;
            }
            coordinates.Add(point);
        }
        if (coordinates.Count < 4 || !coordinates[0].Equals2D(coordinates[^1]))
        {
            problem = "Polygonen är ingen sluten ring: minst fyra punkter, den sista samma som den första.";
            return null;
        }
        var polygon = Factory.CreatePolygon([.. coordinates]);
        var validity = new IsValidOp(polygon).ValidationError;
        if (validity is not null)
        {
            problem = $"Polygonen är ingen giltig ring ({validity.Message} vid {validity.Coordinate.Y.ToString("0.#####", CultureInfo.InvariantCulture)},{validity.Coordinate.X.ToString("0.#####", CultureInfo.InvariantCulture)}).";
            return null;
        }
        problem = null;
        return [.. coordinates.Select(c => new GeoPosition(c.X, c.Y))];
    }

    /// <summary>A CAP circle (<c>lat,lon radius</c>, the radius in kilometres) drawn as a 32-sided ring.</summary>
    private static ImmutableArray<GeoPosition>? Circle(string text, out string? problem)
    {
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || Point(parts[0]) is not { } centre
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var km) || km <= 0 || km > 1000)
        {
            problem = $"'{text.Trim()}' är ingen cirkel: lat,lon och en radie i kilometer (över 0, högst 1000).";
            return null;
        }
        problem = null;
        const int Sides = 32;
        var dLat = km / 111.32;
        var dLon = dLat / Math.Max(0.01, Math.Cos(centre.Y * Math.PI / 180));
        var ring = Enumerable.Range(0, Sides)
            .Select(i => 2 * Math.PI * i / Sides)
            .Select(a => new GeoPosition(Math.Round(centre.X + dLon * Math.Cos(a), 6), Math.Round(centre.Y + dLat * Math.Sin(a), 6)))
            .ToList();
        ring.Add(ring[0]);
        return [.. ring];
    }

    private static Coordinate? Point(string pair)
    {
        var parts = pair.Split(',');
        return parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat) && lat is >= -90 and <= 90
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon) && lon is >= -180 and <= 180
            ? new Coordinate(lon, lat)
            : null;
    }

    private static string At(XObject where, string message) =>
        where is IXmlLineInfo { } line && line.HasLineInfo() ? At(line.LineNumber, line.LinePosition, message) : message;

    private static string At(int line, int position, string message) =>
        new StringBuilder().Append("Rad ").Append(line).Append(", position ").Append(position).Append(": ").Append(message).ToString();
}
