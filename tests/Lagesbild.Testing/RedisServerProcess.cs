using System.Diagnostics;
using System.Net.Sockets;

namespace Lagesbild.Testing;

/// <summary>
/// A real redis-server from Debian's packages on a loopback port, with the persistence the
/// cluster is documented to need: an append-only file fsynced on every write.
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private Process? _process;

    public RedisServerProcess(string? directory = null, string appendFsync = "always")
    {
        Directory = directory ?? System.IO.Directory.CreateTempSubdirectory("lagesbild-redis-").FullName;
        Port = Ports.Free();
        AppendFsync = appendFsync;
    }

    public string Directory { get; }
    public int Port { get; }
    public string AppendFsync { get; }
    public string ConnectionString => ConnectionStringVia(Port);

    /// <summary>The same connection string through another port (a proxy in front of this server).</summary>
    public string ConnectionStringVia(int port) => $"127.0.0.1:{port},abortConnect=false,connectTimeout=2000,syncTimeout=5000";

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", Directory,
            "--appendonly", "yes", "--appendfsync", AppendFsync, "--save", "",
            "--protected-mode", "yes", "--daemonize", "no",
        })
        {
            info.ArgumentList.Add(argument);
        }
        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start; is it installed?");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var buffer = new byte[64];
                var read = await stream.ReadAsync(buffer);
                if (System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG"))
                    return;
            }
            catch (SocketException)
            {
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("redis-server did not answer PING");
    }

    /// <summary>kill -9.</summary>
    public void Kill()
    {
        if (_process is null || _process.HasExited)
            return;
        _process.Kill();
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        await Task.Yield();
    }
}
