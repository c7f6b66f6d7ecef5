using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Lagesbild.Bench;

/// <summary>
/// Residents asking for the open trygghetspunkter all at once (issue 16, "blackout scale"), while the
/// operators' changes are measured as in any load run. Two standard load tools from Debian's packages:
/// wrk asks as fast as the server answers (the most the machine gives, with wrk itself taking a core's
/// share of the two), and h2load (nghttp2-client) holds a constant rate (<c>--rps</c> per connection),
/// which is what "the city asks 20,000 times a second" means for the operators beside it. Every request
/// is a GET as a browser sends it the first time (accepting Brotli and gzip) and without If-None-Match,
/// the case where the server must send the whole list each time.
/// </summary>
public sealed partial class PublicLoad : IAsyncDisposable
{
    public const string Path = "/api/public/safety-points";

    private readonly Process _wrk;
    private readonly bool _constantRate;
    private readonly Task<string> _output;
    private readonly Task<string> _errors;

    private PublicLoad(Process wrk, bool constantRate)
    {
        _wrk = wrk;
        _constantRate = constantRate;
        _output = wrk.StandardOutput.ReadToEndAsync();
        _errors = wrk.StandardError.ReadToEndAsync();
    }

    public int Pid => _wrk.Id;

    /// <summary>
    /// Starts wrk (as fast as answered) or, with a <paramref name="rate"/>, h2load (that many requests per second) against
    /// <paramref name="server"/> for <paramref name="seconds"/>; null (with the reason logged) when the tool is not installed.
    /// </summary>
    public static PublicLoad? Start(Uri server, int connections, double rate, double seconds, Action<string> log)
    {
        var constantRate = rate > 0;
        var start = new ProcessStartInfo(constantRate ? "h2load" : "wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var url = new Uri(server, Path).ToString();
        // One thread: on two cores a second load thread only takes CPU from the server it measures.
        string[] arguments = constantRate
            ? ["--h1", "-t1", $"-c{connections}", $"--rps={(rate / connections).ToString("0.###", CultureInfo.InvariantCulture)}", $"-D{Math.Ceiling(seconds)}", "-H", "Accept-Encoding: gzip, deflate, br", url]
            : ["-t1", $"-c{connections}", $"-d{Math.Ceiling(seconds)}s", "--latency", "-H", "Accept-Encoding: gzip, deflate, br", url];
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        try
        {
            return new PublicLoad(Process.Start(start)!, constantRate);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            log(constantRate
                ? "h2load is not installed (apt-get install nghttp2-client); the public load at a constant rate is not measured"
                : "wrk is not installed (apt-get install wrk); the public load is not measured");
            return null;
        }
    }

    /// <summary>Waits for wrk to finish and reads its summary.</summary>
    public async Task<PublicLoadResult> FinishAsync()
    {
        await _wrk.WaitForExitAsync();
        var output = await _output;
        if (_wrk.ExitCode != 0)
            throw new InvalidOperationException($"{_wrk.StartInfo.FileName} failed ({_wrk.ExitCode}): {await _errors}{output}");
        return _constantRate ? ParseH2Load(output) : Parse(output);
    }

    /// <summary>
    /// h2load's summary: "finished in …, N req/s", the requests' counts, the status codes and "time for request:" min, max,
    /// mean (h2load prints no percentiles).
    /// </summary>
    public static PublicLoadResult ParseH2Load(string output)
    {
        static double Duration(string text)
        {
            var match = Regex.Match(text, @"^([\d.]+)(us|ms|s)$");
            var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
        }
        var rate = Regex.Match(output, @"finished in [\d.]+\w+, ([\d.]+) req/s");
        var requests = Regex.Match(output, @"requests: (\d+) total, \d+ started, \d+ done, \d+ succeeded, (\d+) failed, (\d+) errored, (\d+) timeout");
        var codes = Regex.Match(output, @"status codes: \d+ 2xx, \d+ 3xx, (\d+) 4xx, (\d+) 5xx");
        var time = Regex.Match(output, @"time for request:\s+(\S+)\s+(\S+)\s+(\S+)");
        if (!rate.Success || !requests.Success || !codes.Success || !time.Success)
            throw new FormatException($"h2load printed no summary: {output}");
        long Count(Match match, int group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
        return new PublicLoadResult(double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture), Count(requests, 1), null, null,
            Count(codes, 1) + Count(codes, 2), Count(requests, 2) + Count(requests, 3) + Count(requests, 4), "h2load")
        {
            Mean = Duration(time.Groups[3].Value),
            Max = Duration(time.Groups[2].Value),
        };
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

/// <summary>
/// What the load tool measured: requests per second, latency in ms (wrk: p50 and p99; h2load: mean and max), answers that
/// were not 2xx/3xx and socket errors (h2load: failed, errored and timed-out requests).
/// </summary>
public sealed record PublicLoadResult(double RequestsPerSecond, long Requests, double? P50, double? P99, long NonSuccess, long SocketErrors, string Tool = "wrk")
{
    public double? Mean { get; init; }
    public double? Max { get; init; }
}
