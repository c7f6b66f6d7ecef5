using System.Globalization;
using Lagesbild.Domain.Alerts;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Server.Alerts.Delivery;

/// <summary>
/// What an alert says outside Lagesbild: its title, severity, cause and a link, and ÖVNING in an exercise. Made from
/// the alert's record alone, never from a loggbok entry's reason or detail, so an internal note cannot ride along to
/// anyone (an observer's e-mail included).
/// </summary>
public sealed record AlertMessage(string Picture, string Alert, string Title, AlertSeverity Severity, string Cause, DateTimeOffset RaisedAt, bool Exercise, string? Link)
{
    private static readonly TimeZoneInfo Stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");

    public static AlertMessage Of(string picture, string alert, AlertState state, Uri? page)
    {
        var exercise = PictureId.IsExercise(picture);
        var title = exercise && !state.Name.StartsWith("ÖVNING", StringComparison.Ordinal) ? $"ÖVNING – {state.Name}" : state.Name;
        var link = page is null ? null : new Uri(page, $"?picture={Uri.EscapeDataString(picture)}&alert={Uri.EscapeDataString(alert)}").ToString();
        return new AlertMessage(picture, alert, title, state.Severity, state.Cause.Entity, state.RaisedAt, exercise, link);
    }

    public string SeverityText => Severity switch
    {
        AlertSeverity.Critical => "Kritisk",
        AlertSeverity.Severe => "Allvarlig",
        AlertSeverity.Warning => "Varning",
        _ => "Information",
    };

    public string Subject => $"[{SeverityText}] {Title}";

    public string Body(int wave)
    {
        var raised = TimeZoneInfo.ConvertTime(RaisedAt, Stockholm).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var lines = new List<string>();
        if (Exercise)
            lines.Add("ÖVNING – detta larm hör till en övning, inte till den levande lägesbilden.");
        lines.Add(Title);
        lines.Add($"Allvarlighet: {SeverityText}");
        lines.Add($"Orsak: {Cause}");
        lines.Add($"Larmet utlöstes {raised} (svensk tid); det här är våg {wave}.");
        lines.Add(Link is null ? "Kvittera larmet i Lagesbild." : $"Kvittera larmet i Lagesbild: {Link}");
        return string.Join("\r\n", lines) + "\r\n";
    }
}
