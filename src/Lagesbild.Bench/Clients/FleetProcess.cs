using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;

namespace Lagesbild.Bench.Clients;

/// <summary>The driver's handle on the clients' process: this same program, started again with <c>--role clients</c>.</summary>
public sealed class FleetProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _answers = Channel.CreateUnbounded<string>();

    private FleetProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                _answers.Writer.TryComplete();
            else if (e.Data.StartsWith('@'))
                _answers.Writer.TryWrite(e.Data);
            else
                Console.Error.WriteLine($"  [clients] {e.Data}");
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                Console.Error.WriteLine($"  [clients] {e.Data}");
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public static FleetProcess Start(IEnumerable<Uri> servers, string token, int clients, int stalled, BenchOptions options)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var name in options.ServerEnvironment.Keys)
            info.Environment.Remove(name);
        foreach (var (name, value) in options.ClientsEnvironment)
            info.Environment[name] = value;
        info.ArgumentList.Add(typeof(FleetProcess).Assembly.Location);
        foreach (var argument in new[]
        {
            "--role", "clients",
            "--servers", string.Join(',', servers),
            "--token", token,
            "--clients", clients.ToString(CultureInfo.InvariantCulture),
            "--stalled", stalled.ToString(CultureInfo.InvariantCulture),
            "--client", options.ClientKind.ToString().ToLowerInvariant(),
        })
            info.ArgumentList.Add(argument);
        return new FleetProcess(Process.Start(info)!);
    }

    public async Task<FleetReady> ReadyAsync(TimeSpan timeout) => await AnswerAsync<FleetReady>("ready", timeout);

    /// <summary>Starts measuring: deltas after <paramref name="afterSeq"/> count.</summary>
    /// <remarks>Waits until the clients' process has started its window: a change sent before that
    /// could reach a client first and be wiped by the window's reset, counted as lost.</remarks>
    public async Task StartWindowAsync(long afterSeq)
    {
        await SayAsync(string.Create(CultureInfo.InvariantCulture, $"start {afterSeq}"));
        await AnswerAsync<long>("started", TimeSpan.FromSeconds(30));
    }

    public async Task<FleetResult> FinishAsync(long finalSeq, TimeSpan drain)
    {
        await SayAsync(string.Create(CultureInfo.InvariantCulture, $"finish {finalSeq} {drain.TotalSeconds}"));
        return await AnswerAsync<FleetResult>("result", drain * 2 + TimeSpan.FromSeconds(30));
    }

    private async Task SayAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    private async Task<T> AnswerAsync<T>(string what, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            var line = await _answers.Reader.ReadAsync(cancel.Token);
            var prefix = $"@{what} ";
            if (!line.StartsWith(prefix, StringComparison.Ordinal))
                throw new InvalidOperationException($"The clients' process said '{line}', not {what}.");
            return JsonSerializer.Deserialize<T>(line[prefix.Length..], Fleet.Json)!;
        }
        catch (Exception error) when (error is OperationCanceledException or ChannelClosedException)
        {
            throw new InvalidOperationException($"The clients' process did not say {what} (exited: {_process.HasExited}).", error);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await SayAsync("exit");
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (Exception error) when (error is IOException or OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
    }
}
