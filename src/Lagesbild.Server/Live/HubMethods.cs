namespace Lagesbild.Server.Live;

/// <summary>
/// The hub's method names, one definition for both sides of the wire: the OpenAPI document
/// carries them as the enums <c>HubServerMethod</c> and <c>HubClientMethod</c>, and the page's
/// generated types make any name it uses that is not one of these a compile error.
/// </summary>
public static class HubMethods
{
    /// <summary>Joins a picture: a snapshot (or exactly what was missed), then every delta.</summary>
    public const string Join = nameof(LiveHub.Join);
    /// <summary>Sends a command, as the HTTP API does.</summary>
    public const string Send = nameof(LiveHub.Send);

    /// <summary>The whole picture (<c>Snapshot</c>).</summary>
    public const string Snapshot = "snapshot";
    /// <summary>One loggbok entry (<c>LogEntry</c>).</summary>
    public const string Delta = "delta";
    /// <summary>A word from the server to show, e.g. that it is going away (<c>Notice</c>).</summary>
    public const string Notice = "notice";

    /// <summary>What a client calls on the server.</summary>
    public static readonly IReadOnlyList<string> OnServer = [Join, Send];
    /// <summary>What the server calls on a client.</summary>
    public static readonly IReadOnlyList<string> OnClient = [Snapshot, Delta, Notice];
}
