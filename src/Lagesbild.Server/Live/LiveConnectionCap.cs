using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Live;

/// <summary>
/// How many live connections each person and each network address hold open to this node, and
/// the caps on both (<see cref="LiveOptions.MaxConnectionsPerPerson"/>, <see cref="LiveOptions.MaxConnectionsPerAddress"/>).
/// A connection over a cap is answered 429 before its WebSocket is accepted. A place is taken
/// when the connection is up (<see cref="TrackingHubLifetimeManager{THub}"/>) and given back when
/// it ends; one that slipped past the check in a burst of handshakes is closed at once, so the
/// cap holds. (Taking the place in the request's pipeline instead, given back when the request
/// ended, cost every delivery to 10,000 maps about 1.5 µs of server CPU and doubled their p99:
/// see BENCHMARKS.md, 2026-12-05.)
/// </summary>
public sealed class LiveConnectionCap(IOptions<LiveOptions> options, IProblemDetailsService problems)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _byPerson = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byAddress = new(StringComparer.Ordinal);
    private readonly int _perPerson = options.Value.MaxConnectionsPerPerson;
    private readonly int _perAddress = options.Value.MaxConnectionsPerAddress;

    /// <summary>The hub's requests pass through here: negotiating, or opening a connection, at the cap is refused with 429.</summary>
    public Task AdmitAsync(HttpContext http, RequestDelegate next)
    {
        var negotiating = http.Request.Path.Value?.EndsWith("/negotiate", StringComparison.Ordinal) == true;
        if (!negotiating && !http.IsWebSocketHandshake() && !IsEventStream(http))
            return next(http);
        var person = http.User.FindFirstValue("sub") ?? "";
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "";
        return Full(person, address) is { } full ? RefuseAsync(http, full) : next(http);
    }

    /// <summary>Takes a place for a connection that is up; false when a cap is reached (the connection must then be closed).</summary>
    public bool TryTake(string person, string address) => Take(person, address) is null;

    /// <summary>Gives back a connection's place.</summary>
    public void Release(string person, string address) => GiveBack(person, address);

    public LiveConnectionCounts Counts(int top)
    {
        lock (_lock)
        {
            return new LiveConnectionCounts(_perPerson, _perAddress,
                [.. _byPerson.OrderByDescending(p => p.Value).Take(top).Select(p => new LiveConnectionCount(p.Key, p.Value))],
                [.. _byAddress.OrderByDescending(p => p.Value).Take(top).Select(p => new LiveConnectionCount(p.Key, p.Value))]);
        }
    }

    private static bool IsEventStream(HttpContext http) =>
        HttpMethods.IsGet(http.Request.Method) && http.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase);

    private ProblemDetails? Full(string person, string address)
    {
        lock (_lock)
            return Refusal(_byPerson.GetValueOrDefault(person), _byAddress.GetValueOrDefault(address));
    }

    private ProblemDetails? Take(string person, string address)
    {
        lock (_lock)
        {
            var (mine, here) = (_byPerson.GetValueOrDefault(person), _byAddress.GetValueOrDefault(address));
            if (Refusal(mine, here) is { } refusal)
                return refusal;
            _byPerson[person] = mine + 1;
            _byAddress[address] = here + 1;
            return null;
        }
    }

    private void GiveBack(string person, string address)
    {
        lock (_lock)
        {
            Decrement(_byPerson, person);
            Decrement(_byAddress, address);
        }
    }

    private static void Decrement(Dictionary<string, int> counts, string key)
    {
        if (counts.TryGetValue(key, out var count) && count > 1)
            counts[key] = count - 1;
        else
            counts.Remove(key);
    }

    private ProblemDetails? Refusal(int mine, int here) =>
        mine >= _perPerson
            ? Problem($"Du har redan {mine} öppna livekopplingar (högst {_perPerson} per person). Stäng en flik eller ett fönster med lägesbilden och försök igen.")
            : here >= _perAddress
                ? Problem($"Din nätverksadress har redan {here} öppna livekopplingar (högst {_perAddress} per adress). Försök igen om en stund.")
                : null;

    private static ProblemDetails Problem(string detail) =>
        new() { Status = StatusCodes.Status429TooManyRequests, Title = "För många livekopplingar", Detail = detail };

    private async Task RefuseAsync(HttpContext http, ProblemDetails problem)
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }
}

/// <summary>The caps and who holds the most live connections now.</summary>
public sealed record LiveConnectionCounts(int MaxPerPerson, int MaxPerAddress, LiveConnectionCount[] TopPersons, LiveConnectionCount[] TopAddresses);

/// <summary>A person (the token's <c>sub</c>) or a network address, and its live connections.</summary>
public sealed record LiveConnectionCount(string Key, int Connections);
