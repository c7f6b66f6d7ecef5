using System.Text.Json;

namespace Lagesbild.Browser.Tests;

/// <summary>
/// What a Chromium trace says about the frames between two of the page's marks (performance.mark): how Chrome's
/// own frame metrics counted them, and, for each gap between two animation frames over a vsync and a half, what the
/// browser's threads did in it. Chrome's count is its compositor's (cc's PipelineReporter, the source of DevTools'
/// "Dropped frame" and of the smoothness metric): a frame is <b>dropped</b> when the compositor had new content due
/// at a vsync and presented none of it, <b>partial</b> when it presented its own part (the scroll, the layers it
/// moves) without the page's main-thread update, which comes a frame later.
/// </summary>
public sealed class FrameTimeline
{
    /// <summary>The categories a timeline needs: the compositor's frames and the page's marks, light enough for every run.</summary>
    public static readonly string[] FrameCategories = ["disabled-by-default-devtools.timeline.frame", "blink.user_timing"];

    private readonly List<JsonElement> _events;
    private readonly Dictionary<(int Pid, int Tid), string> _threads = [];
    private readonly Dictionary<int, string> _processes = [];
    private readonly int _renderer;
    private readonly double _start;
    private readonly double _end;

    public FrameTimeline(IReadOnlyList<JsonElement> events, string startMark, string endMark)
    {
        _events = [.. events];
        foreach (var e in _events.Where(e => Str(e, "ph") == "M"))
        {
            var name = e.TryGetProperty("args", out var args) && args.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
            if (Str(e, "name") == "thread_name")
                _threads[(Int(e, "pid"), Int(e, "tid"))] = name;
            else if (Str(e, "name") == "process_name")
                _processes[Int(e, "pid")] = name;
        }
        var marks = _events.Where(e => Str(e, "name") is { } name && (name == startMark || name == endMark) && Cat(e).Contains("user_timing"))
            .GroupBy(e => Str(e, "name")!).ToDictionary(g => g.Key, g => g.First());
        if (!marks.TryGetValue(startMark, out var start) || !marks.TryGetValue(endMark, out var end))
            throw new InvalidOperationException($"the trace lacks the page's marks {startMark} and {endMark}");
        _renderer = Int(start, "pid");
        _start = Ts(start);
        _end = Ts(end);
    }

    /// <summary>Chrome's count of the page's frames from the start mark to the end mark, by how each was presented.</summary>
    public (int Presented, int Partial, int Dropped, int NoUpdate) Frames()
    {
        var states = _events
            .Where(e => Str(e, "name") == "PipelineReporter" && Str(e, "ph") == "b" && Int(e, "pid") == _renderer && Ts(e) >= _start && Ts(e) <= _end)
            .Select(e => e.GetProperty("args").TryGetProperty("frame_reporter", out var r) && r.TryGetProperty("state", out var s) ? s.GetString() : null)
            .ToList();
        return (states.Count(s => s == "STATE_PRESENTED_ALL"), states.Count(s => s == "STATE_PRESENTED_PARTIAL"),
            states.Count(s => s == "STATE_DROPPED"), states.Count(s => s == "STATE_NO_UPDATE_DESIRED"));
    }

    /// <summary>
    /// What ran from <paramref name="fromMs"/> to <paramref name="toMs"/> after the start mark (the page's clock, in
    /// ms): each busy thread's tasks as CPU / wall ms (wall well over CPU: the thread was ready but the machine ran
    /// something else), the page's main thread split by kind (script, style, layout, paint, commit, GC), and the frames
    /// Chrome presented, dropped or presented partly in it. Needs a full trace (<see cref="ChromiumTrace"/>'s categories).
    /// </summary>
    public string WhatRan(double fromMs, double toMs)
    {
        var from = _start + fromMs * 1000;
        var to = _start + toMs * 1000;
        var threads = new Dictionary<string, (double Cpu, double Wall)>();
        foreach (var group in _events.Where(e => Str(e, "ph") == "X" && e.TryGetProperty("dur", out _) && Ts(e) < to && Ts(e) + Dur(e) > from)
                     .GroupBy(e => (Pid: Int(e, "pid"), Tid: Int(e, "tid"))))
        {
            var label = ThreadLabel(group.Key.Pid, group.Key.Tid);
            if (label is null)
                continue;
            double cpu = 0, wall = 0, until = double.MinValue;
            foreach (var e in group.OrderBy(Ts).ThenByDescending(Dur))
            {
                if (Ts(e) < until)
                    continue;
                var share = (Math.Min(to, Ts(e) + Dur(e)) - Math.Max(from, Ts(e))) / Math.Max(1, Dur(e));
                cpu += ThreadDur(e) * share;
                wall += Dur(e) * share;
                until = Ts(e) + Dur(e);
            }
            var sum = threads.GetValueOrDefault(label);
            threads[label] = (sum.Cpu + cpu, sum.Wall + wall);
        }
        var main = _threads.FirstOrDefault(t => t.Key.Pid == _renderer && t.Value == "CrRendererMain").Key;
        var kinds = MainThreadKinds(main, from, to);
        var frames = _events.Where(e => Str(e, "name") == "PipelineReporter" && Str(e, "ph") == "b" && Int(e, "pid") == _renderer && Ts(e) >= from && Ts(e) <= to)
            .Select(e => e.GetProperty("args").GetProperty("frame_reporter").GetProperty("state").GetString()?.Replace("STATE_", "").ToLowerInvariant())
            .GroupBy(s => s).Select(g => $"{g.Count()} {g.Key}");
        // A frame is the main thread's work, then the compositor's, then the display compositor's: a gap is the page's
        // when they needed more CPU than the frames it spans; otherwise the threads were waiting for the machine.
        var pipeline = new[] { "main", "compositor", "display" }.Sum(t => threads.GetValueOrDefault(t).Cpu) / 1000;
        var verdict = pipeline > (to - from) / 1000 - VsyncMs
            ? $"the page's work ({pipeline:F1} ms of CPU on the frame's path)"
            : $"the machine (the frame's path ran {pipeline:F1} ms of CPU in {(to - from) / 1000:F1} ms)";
        var busy = threads.Where(t => t.Value.Wall >= 100).OrderByDescending(t => t.Value.Wall).Select(t => $"{t.Key} {t.Value.Cpu / 1000:F1}/{t.Value.Wall / 1000:F1}").ToList();
        return $"{verdict}; threads (CPU/wall ms): {(busy.Count == 0 ? "none" : string.Join(", ", busy))}; " +
            $"page's main thread (CPU ms): {(kinds.Count == 0 ? "nothing" : string.Join(", ", kinds.Select(k => $"{k.Key} {k.Value / 1000:F1}")))}; " +
            $"Chrome's frames: {string.Join(", ", frames)}";
    }

    private const double VsyncMs = 1000.0 / 60;

    /// <summary>Whether <see cref="WhatRan"/> puts a gap down to the page's work rather than the machine.</summary>
    public static bool IsPagesWork(string whatRan) => whatRan.StartsWith("the page's work", StringComparison.Ordinal);

    private string? ThreadLabel(int pid, int tid)
    {
        var thread = _threads.GetValueOrDefault((pid, tid), "");
        var process = _processes.GetValueOrDefault(pid, "");
        return (process, thread) switch
        {
            (_, "CrRendererMain") when pid == _renderer => "main",
            (_, "Compositor") when pid == _renderer => "compositor",
            (_, "ThreadPoolForegroundWorker") when pid == _renderer => "raster",
            ("GPU Process", "VizCompositorThread") => "display",
            ("Browser", "CrBrowserMain") => "browser",
            _ => null,
        };
    }

    /// <summary>The main thread's own time (CPU) by kind of work, each event's self time given to its kind.</summary>
    private Dictionary<string, double> MainThreadKinds((int Pid, int Tid) main, double from, double to)
    {
        var kinds = new Dictionary<string, double>();
        var stack = new Stack<(JsonElement Event, string Kind)>();
        foreach (var e in _events.Where(e => Str(e, "ph") == "X" && Int(e, "pid") == main.Pid && Int(e, "tid") == main.Tid && e.TryGetProperty("dur", out _)
                         && Ts(e) < to && Ts(e) + Dur(e) > from).OrderBy(Ts).ThenByDescending(Dur))
        {
            while (stack.Count > 0 && Ts(stack.Peek().Event) + Dur(stack.Peek().Event) <= Ts(e))
                stack.Pop();
            var kind = KindOf(Str(e, "name") ?? "") ?? (stack.Count > 0 ? stack.Peek().Kind : "other");
            // An event that began before the gap or ends after it counts for the part inside it.
            var inside = ThreadDur(e) * (Math.Min(to, Ts(e) + Dur(e)) - Math.Max(from, Ts(e))) / Math.Max(1, Dur(e));
            if (stack.Count > 0)
                kinds[stack.Peek().Kind] = kinds.GetValueOrDefault(stack.Peek().Kind) - inside;
            kinds[kind] = kinds.GetValueOrDefault(kind) + inside;
            stack.Push((e, kind));
        }
        return kinds.Where(k => k.Value >= 100).OrderByDescending(k => k.Value).ToDictionary();
    }

    private static string? KindOf(string name) => name switch
    {
        "FunctionCall" or "EvaluateScript" or "FireAnimationFrame" or "TimerFire" or "EventDispatch" or "RunMicrotasks" => "script",
        "UpdateLayoutTree" or "RecalcStyle" => "style",
        "Layout" => "layout",
        "PrePaint" or "Paint" or "Layerize" => "paint",
        "Commit" => "commit",
        "HitTest" or "EventHandler::handleMouseMoveEvent" => "hit test",
        "Blink.CompositingInputs.UpdateTime" => "paint",
        "Canvas2DResourceProvider::ProduceCanvasResource" => "commit",
        "ProxyMain::BeginMainFrame" or "WebFrameWidgetImpl::UpdateLifecycle" => "frame lifecycle",
        _ when name.Contains("GC", StringComparison.Ordinal) => "GC",
        _ => null,
    };

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    private static string Cat(JsonElement e) => Str(e, "cat") ?? "";
    private static int Int(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 0;
    private static double Ts(JsonElement e) => e.GetProperty("ts").GetDouble();
    private static double Dur(JsonElement e) => e.TryGetProperty("dur", out var v) ? v.GetDouble() : 0;
    private static double ThreadDur(JsonElement e) => e.TryGetProperty("tdur", out var v) ? v.GetDouble() : 0;
}
