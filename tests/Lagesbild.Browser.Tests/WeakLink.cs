using System.Text.Json;
using Microsoft.Playwright;

namespace Lagesbild.Browser.Tests;

/// <summary>A mobile link as Chromium's DevTools emulate it (one-way latency per request, throughput in bytes/s).</summary>
public sealed record NetworkProfile(string Name, double LatencyMs, int DownloadBytesPerSecond, int UploadBytesPerSecond)
{
    // Chromium's presets (front_end/core/sdk/NetworkManager.ts): Fast 3G 1.6 Mbit/s down, 750 kbit/s up,
    // 150 ms × 3.75; Slow 3G 500 kbit/s both ways, 400 ms × 5; throughput × 0.9 and × 0.8.
    public static readonly NetworkProfile Fast3G = new("Fast 3G", 562.5, 180_000, 84_375);
    public static readonly NetworkProfile Slow3G = new("Slow 3G", 2000, 50_000, 50_000);
}

/// <summary>
/// A phone's browser tab on a weak link: Chromium's network emulation through the DevTools
/// protocol, and a count of every byte the page receives (HTTP answers as they came over the
/// wire, headers included, the live connection's WebSocket frames, and what the page's service
/// worker fetches for itself, as Playwright reports its sizes) and of every host it asks.
/// </summary>
public sealed class WeakLink
{
    private readonly ICDPSession _cdp;
    private long _httpBytes;
    private long _socketBytes;
    private long _workerBytes;
    private long _socketOpenings;
    private readonly List<string> _urls = [];
    private readonly Waterfall _waterfall = new();

    private WeakLink(ICDPSession cdp)
    {
        _cdp = cdp;
        cdp.Event("Network.loadingFinished").OnEvent += (_, e) =>
        {
            var bytes = (long)e!.Value.GetProperty("encodedDataLength").GetDouble();
            Interlocked.Add(ref _httpBytes, bytes);
            _waterfall.Finished(e.Value.GetProperty("requestId").GetString()!, e.Value.GetProperty("timestamp").GetDouble(), bytes);
        };
        cdp.Event("Network.responseReceived").OnEvent += (_, e) =>
            _waterfall.Answered(e!.Value.GetProperty("requestId").GetString()!, e.Value.GetProperty("timestamp").GetDouble(),
                e.Value.GetProperty("response").TryGetProperty("fromServiceWorker", out var sw) && sw.GetBoolean(),
                e.Value.GetProperty("response").TryGetProperty("fromDiskCache", out var disk) && disk.GetBoolean());
        cdp.Event("Network.webSocketFrameReceived").OnEvent += (_, e) =>
        {
            var bytes = FrameBytes(e!.Value);
            Interlocked.Add(ref _socketBytes, bytes);
            _waterfall.Frame(e.Value.GetProperty("timestamp").GetDouble(), "←", bytes, Payload(e.Value));
        };
        cdp.Event("Network.webSocketFrameSent").OnEvent += (_, e) =>
            _waterfall.Frame(e!.Value.GetProperty("timestamp").GetDouble(), "→", FrameBytes(e.Value), Payload(e.Value));
        cdp.Event("Network.webSocketWillSendHandshakeRequest").OnEvent += (_, e) =>
        {
            Interlocked.Increment(ref _socketOpenings);
            _waterfall.Frame(e!.Value.GetProperty("timestamp").GetDouble(), "→", 0, "WebSocket upgrade");
        };
        cdp.Event("Network.webSocketHandshakeResponseReceived").OnEvent += (_, e) =>
            _waterfall.Frame(e!.Value.GetProperty("timestamp").GetDouble(), "←", 0, "WebSocket 101");
        cdp.Event("Network.requestWillBeSent").OnEvent += (_, e) =>
        {
            var url = e!.Value.GetProperty("request").GetProperty("url").GetString()!;
            _waterfall.Started(e.Value.GetProperty("requestId").GetString()!, e.Value.GetProperty("timestamp").GetDouble(),
                e.Value.GetProperty("request").GetProperty("method").GetString()!, url);
            lock (_urls)
                _urls.Add(url);
        };
    }

    /// <summary>The visit's requests and live frames in time, from the first request on (what blocks what, and what it moved).</summary>
    public string Timeline() => _waterfall.Describe();

    public static async Task<WeakLink> AttachAsync(IPage page)
    {
        var link = new WeakLink(await page.Context.NewCDPSessionAsync(page));
        await link._cdp.SendAsync("Network.enable");
        // The service worker's own requests (its script, what it keeps) are not the page's: counted through the context.
        page.Context.RequestFinished += async (_, request) =>
        {
            if (!FromServiceWorker(request))
                return;
            try
            {
                var sizes = await request.SizesAsync();
                Interlocked.Add(ref link._workerBytes, sizes.ResponseBodySize + sizes.ResponseHeadersSize);
            }
            catch (PlaywrightException)
            {
                // The worker closed (the test's context is closing) before its sizes could be read:
                // this is an event handler, and an exception here would take the whole test run down.
                return;
            }
            lock (link._urls)
                link._urls.Add(request.Url);
        };
        return link;
    }

    public long ReceivedBytes => Interlocked.Read(ref _httpBytes) + Interlocked.Read(ref _socketBytes) + Interlocked.Read(ref _workerBytes);

    public long WorkerBytes => Interlocked.Read(ref _workerBytes);

    public long SocketBytes => Interlocked.Read(ref _socketBytes);

    /// <summary>WebSockets the page opened (upgrade requests sent).</summary>
    public long SocketOpenings => Interlocked.Read(ref _socketOpenings);

    public IReadOnlyList<string> Urls
    {
        get { lock (_urls) return _urls.ToArray(); }
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _httpBytes, 0);
        Interlocked.Exchange(ref _socketBytes, 0);
        Interlocked.Exchange(ref _workerBytes, 0);
        Interlocked.Exchange(ref _socketOpenings, 0);
        lock (_urls)
            _urls.Clear();
        _waterfall.Clear();
    }

    public Task EmulateAsync(NetworkProfile profile) => _cdp.SendAsync("Network.emulateNetworkConditions", new()
    {
        ["offline"] = false,
        ["latency"] = profile.LatencyMs,
        ["downloadThroughput"] = profile.DownloadBytesPerSecond,
        ["uploadThroughput"] = profile.UploadBytesPerSecond,
    });

    /// <summary>No network at all, as when the phone loses its signal (an open socket stays open but nothing moves).</summary>
    public Task GoOfflineAsync() => _cdp.SendAsync("Network.emulateNetworkConditions", new()
    {
        ["offline"] = true, ["latency"] = 0, ["downloadThroughput"] = -1, ["uploadThroughput"] = -1,
    });

    public Task GoOnlineAsync() => _cdp.SendAsync("Network.emulateNetworkConditions", new()
    {
        ["offline"] = false, ["latency"] = 0, ["downloadThroughput"] = -1, ["uploadThroughput"] = -1,
    });

    // Playwright has no frame for a service worker's request, and says so by throwing.
    private static bool FromServiceWorker(IRequest request)
    {
        try
        {
            return request.Frame is null;
        }
        catch (PlaywrightException)
        {
            return true;
        }
    }

    private static string Payload(JsonElement frame)
    {
        var payload = frame.GetProperty("response").GetProperty("payloadData").GetString() ?? "";
        var target = System.Text.RegularExpressions.Regex.Match(payload, "\"target\":\"(\\w+)\"|\"type\":(\\d+)");
        return target.Success ? target.Value : payload.Length > 40 ? payload[..40] : payload;
    }

    // A frame's payload and its header (2 bytes, 4 from 126 bytes on, 10 from 64 KiB on); SignalR's JSON frames are text.
    private static long FrameBytes(JsonElement frame)
    {
        var payload = frame.GetProperty("response").GetProperty("payloadData").GetString() ?? "";
        long length = System.Text.Encoding.UTF8.GetByteCount(payload);
        return length + (length < 126 ? 2 : length < 65_536 ? 4 : 10);
    }
}

/// <summary>Requests (start, answer, end, bytes) and WebSocket events, in DevTools' monotonic seconds.</summary>
internal sealed class Waterfall
{
    private sealed record Row(string Id, double Start, string Method, string Url)
    {
        public double? Answer { get; set; }
        public double? End { get; set; }
        public long Bytes { get; set; }
        public string Via { get; set; } = "";
    }

    private readonly List<Row> _rows = [];
    private readonly List<(double At, string Line)> _frames = [];

    public void Started(string id, double at, string method, string url)
    {
        lock (_rows) _rows.Add(new Row(id, at, method, url));
    }

    public void Answered(string id, double at, bool worker, bool disk)
    {
        lock (_rows)
            if (_rows.LastOrDefault(r => r.Id == id) is { } row)
            {
                row.Answer = at;
                row.Via = worker ? " (service worker)" : disk ? " (disk cache)" : "";
            }
    }

    public void Finished(string id, double at, long bytes)
    {
        lock (_rows)
            if (_rows.LastOrDefault(r => r.Id == id) is { } row)
            {
                row.End = at;
                row.Bytes = bytes;
            }
    }

    public void Frame(double at, string direction, long bytes, string what)
    {
        lock (_rows) _frames.Add((at, $"{direction} {what} {bytes} B"));
    }

    public void Clear()
    {
        lock (_rows)
        {
            _rows.Clear();
            _frames.Clear();
        }
    }

    public string Describe()
    {
        lock (_rows)
        {
            if (_rows.Count == 0) return "(nothing asked)";
            var zero = _rows.Min(r => r.Start);
            string Ms(double? t) => t is { } v ? $"{(v - zero) * 1000,6:F0}" : "     -";
            var lines = _rows.Select(r => (r.Start, $"{Ms(r.Start)} {Ms(r.Answer)} {Ms(r.End)} ms {r.Bytes,7} B {r.Method} {Path(r.Url)}{r.Via}"))
                .Concat(_frames.Select(f => (f.At, $"{Ms(f.At)}                  ws {f.Line}")))
                .OrderBy(l => l.Item1).Select(l => l.Item2);
            return "  start answer    end\n  " + string.Join("\n  ", lines);
        }
    }

    private static string Path(string url) => url.StartsWith("data:") ? "data:…" : new Uri(url).PathAndQuery is var p && p.Length > 70 ? p[..70] + "…" : new Uri(url).PathAndQuery;
}
