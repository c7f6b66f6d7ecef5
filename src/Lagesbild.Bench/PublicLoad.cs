using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Lagesbild.Bench;

/// <summary>
/// Residents asking for the open trygghetspunkter all at once (issue 16, "blackout scale"):
/// wrk, a standard HTTP load tool from Debian's packages, hammers the public list while the
/// operators' changes are measured as in any load run. Every request is a GET as a browser
/// sends it the first time (accepting Brotli and gzip) and without If-None-Match, the case
/// where the server must send the whole list each time.
/// </summary>
public sealed partial class PublicLoad : IAsyncDisposable
{
    public const string Path = "/api/public/safety-points";

    private readonly Process _wrk;
    private readonly Task<string> _output;
    private readonly Task<string> _errors;

    private PublicLoad(Process wrk)
    {
        _wrk = wrk;
        _output = wrk.StandardOutput.ReadToEndAsync();
        _errors = wrk.StandardError.ReadToEndAsync();
    }

    public int Pid => _wrk.Id;

    /// <summary>Starts wrk against <paramref name="server"/> for <paramref name="seconds"/>; null (with the reason logged) when wrk is not installed.</summary>
    public static PublicLoad? Start(Uri server, int connections, double seconds, Action<string> log)
    {
        var start = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // One thread: on two cores a second wrk thread only takes CPU from the server it measures.
        foreach (var argument in new[] { "-t1", $"-c{connections}", $"-d{Math.Ceiling(seconds)}s", "--latency", "-H", "Accept-Encoding: gzip, deflate, br", new Uri(server, Path).ToString() })
            start.ArgumentList.Add(argument);
        try
        {
            return new PublicLoad(Process.Start(start)!);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            log("wrk is not installed (apt-get install wrk); the public load is not measured");
            return null;
        }
    }

    /// <summary>Waits for wrk to finish and reads its summary.</summary>
    public async Task<PublicLoadResult> FinishAsync()
    {
        await _wrk.WaitForExitAsync();
        var output = await _output;
        if (_wrk.ExitCode != 0)
            throw new InvalidOperationException($"wrk failed ({_wrk.ExitCode}): {await _errors}{output}");
        return Parse(output);
    }

    /// <summary>wrk's text summary: "Requests/sec:", the latency distribution of --latency, errors and non-2xx answers.</summary>
    public static PublicLoadResult Parse(string output)
    {
        double Percentile(string name)
        {
            var match = Regex.Match(output, $@"^\s*{name}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
            if (!match.Success)
                throw new FormatException($"wrk printed no {name}% latency: {output}");
            var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
        }
        var rate = RequestsPerSecond().Match(output);
        if (!rate.Success)
            throw new FormatException($"wrk printed no Requests/sec: {output}");
        var requests = Regex.Match(output, @"(\d+) requests in");
        var nonSuccess = Regex.Match(output, @"Non-2xx or 3xx responses: (\d+)");
        var socketErrors = Regex.Match(output, @"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)");
        var errors = socketErrors.Success ? Enumerable.Range(1, 4).Sum(i => long.Parse(socketErrors.Groups[i].Value, CultureInfo.InvariantCulture)) : 0;
        return new PublicLoadResult(
            double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture),
            requests.Success ? long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            Percentile("50"), Percentile("99"),
            nonSuccess.Success ? long.Parse(nonSuccess.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            errors);
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    public async ValueTask DisposeAsync()
    {
        if (!_wrk.HasExited)
            _wrk.Kill();
        await _wrk.WaitForExitAsync();
        _wrk.Dispose();
    }
}

/// <summary>What wrk measured: requests per second, latency in ms, answers that were not 2xx/3xx and socket errors.</summary>
public sealed record PublicLoadResult(double RequestsPerSecond, long Requests, double P50, double P99, long NonSuccess, long SocketErrors);
