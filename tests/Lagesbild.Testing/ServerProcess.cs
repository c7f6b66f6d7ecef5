using System.Diagnostics;
using System.Text;

namespace Lagesbild.Testing;

/// <summary>
/// A real Lagesbild server process, started the way an operator starts it, on its own ports
/// and data folder. Tests stop it gracefully, kill it, and start it again on the same data.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    public ServerProcess(string? dataDirectory = null, IDictionary<string, string>? settings = null, int? httpPort = null, string? serverAssembly = null)
    {
        ServerAssembly = serverAssembly ?? RepoPaths.ServerAssembly;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("lagesbild-test-").FullName;
        HttpPort = httpPort ?? Ports.Free();
        SiloPort = Ports.Free();
        GatewayPort = Ports.Free();
        Settings = new Dictionary<string, string>(settings ?? new Dictionary<string, string>());
        // The alert rules write changes of their own behind the others; a test about something else counts
        // its changes without them. Tests about alerts turn them on.
        Settings.TryAdd("Lagesbild:Alerts:Enabled", "false");
    }

    /// <summary>The server's main assembly: the build (default) or a published copy.</summary>
    public string ServerAssembly { get; }
    public string DataDirectory { get; }
    public int HttpPort { get; }
    public int SiloPort { get; }
    public int GatewayPort { get; }
    public Dictionary<string, string> Settings { get; }
    /// <summary>The process's environment variables beyond this one's: Development, where the development sign-in may run.</summary>
    public Dictionary<string, string> Environment { get; } = new() { ["ASPNETCORE_ENVIRONMENT"] = "Development" };
    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}/");
    public TimeSpan LastStartToReady { get; private set; }
    /// <summary>The server's CPU time (user and system) from its launch until it answered ready: a start's cost that the machine's load does not change much.</summary>
    public TimeSpan LastStartCpu { get; private set; }
    public int? ProcessId => _process?.Id;

    /// <summary>True when the process was started and has ended (killed, or stopped by itself).</summary>
    public bool HasExited => _process is { HasExited: true };

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>
    /// Settings that sign in through an OpenID Connect provider on loopback instead of the development
    /// sign-in (the process still runs in Development: the provider wins, the demo users are gone).
    /// </summary>
    public static Dictionary<string, string> TrustingProvider(Uri authority, string audience = "lagesbild") => new()
    {
        ["Lagesbild:Auth:DevelopmentSignIn"] = "false",
        ["Lagesbild:Auth:Authority"] = authority.ToString(),
        ["Lagesbild:Auth:Audience"] = audience,
        ["Lagesbild:Auth:ClientId"] = "lagesbild-web",
        ["Lagesbild:Auth:Scope"] = "openid profile offline_access lagesbild",
        ["Lagesbild:Auth:RequireHttpsMetadata"] = "false",
    };

    /// <summary>Starts the server and waits until /health/ready answers 200; or, with <paramref name="untilReady"/> false, only until it serves at all (/health/live).</summary>
    public async Task StartAsync(TimeSpan? timeout = null, bool untilReady = true)
    {
        var started = Stopwatch.StartNew();
        _process = Launch();

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The server exited with {_process.ExitCode}:\n{Output}");
            try
            {
                var response = await http.GetAsync(untilReady ? "health/ready" : "health/live");
                if (response.IsSuccessStatusCode)
                {
                    LastStartToReady = started.Elapsed;
                    _process.Refresh();
                    LastStartCpu = _process.TotalProcessorTime;
                    return;
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"The server was not ready in time:\n{Output}");
    }

    /// <summary>Starts the server expecting it to refuse to start: its exit code once it has exited (see <see cref="Output"/> for why).</summary>
    public async Task<int> RunUntilExitAsync(TimeSpan? timeout = null)
    {
        _process = Launch();
        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"The server was expected to exit but kept running:\n{Output}");
        }
        // The exit can be seen before the last lines of output are read.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    private Process Launch()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DataDirectory,
        };
        info.ArgumentList.Add(ServerAssembly);
        info.ArgumentList.Add("--contentRoot");
        info.ArgumentList.Add(RepoPaths.ServerProject);
        var arguments = new Dictionary<string, string>
        {
            // Tests drive far more changes than one person would; the limits have tests of their own.
            ["Lagesbild:Hardening:RequestsPerSecondPerUser"] = "100000",
            ["Lagesbild:Hardening:RequestsPerSecondPerAddress"] = "100000",
            ["urls"] = BaseAddress.ToString().TrimEnd('/'),
            ["Lagesbild:Storage:DataDirectory"] = Path.Combine(DataDirectory, "data"),
            ["Lagesbild:Cluster:SiloPort"] = SiloPort.ToString(),
            ["Lagesbild:Cluster:GatewayPort"] = GatewayPort.ToString(),
            // The named demo users; the server offers them only when asked, and only in Development.
            ["Lagesbild:Auth:DevelopmentSignIn"] = "true",
        };
        foreach (var (key, value) in Settings)
            arguments[key] = value;
        foreach (var (key, value) in arguments)
            info.ArgumentList.Add($"--{key}={value}");
        info.Environment["DOTNET_gcServer"] = "0";
        foreach (var (name, value) in Environment)
            info.Environment[name] = value;

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    /// <summary>A graceful stop, as systemd or docker stop would do it (SIGTERM).</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited)
            return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
            await kill!.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    /// <summary>kill -9: no chance to flush or say goodbye.</summary>
    public void Kill()
    {
        if (_process is null || _process.HasExited)
            return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>An HTTP client signed in (development sign-in) as one of the demo users; central krisledning by default.</summary>
    public HttpClient CreateClient(string user = "anna") => CreateClientWithToken(string.IsNullOrEmpty(user) ? null : SignIn(user));

    /// <summary>An HTTP client that sends this token (none: null).</summary>
    public HttpClient CreateClientWithToken(string? token)
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>A development sign-in token for a demo user (anna, per, sara, omar, lena, polis, allmanhet).</summary>
    public string SignIn(string user) => DevTokens.Get(BaseAddress, user);

    public async ValueTask DisposeAsync()
    {
        // The next server may get this port and has its own signing key: its tokens must not be these.
        DevTokens.Forget(BaseAddress);
        Kill();
        await Task.Yield();
        _process?.Dispose();
    }
}
