// The Lagesbild benchmark: starts the server as an operator would, connects N real SignalR
// clients (in a process of their own), drives R changes per second through the HTTP API and
// measures, for every delivery, the time from "change accepted" to "client received".
//
//   driver (this process)  ──HTTP PUT──▶  server process(es)  ──SignalR/WebSocket──▶  clients' process
//         └──────────────── stdin/stdout: start, finish, results ─────────────────────────┘
//
// BENCHMARKS.md at the repository root has the command, the scenarios and the latest numbers.
using Lagesbild.Bench;
using Lagesbild.Bench.Clients;
using Lagesbild.Bench.Measure;
using Lagesbild.Testing;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
    var unknown = options.Scenarios.FirstOrDefault(s => s != "all" && !Scenarios.Known.Contains(s));
    if (unknown is not null)
        throw new ArgumentException($"Unknown scenario '{unknown}'.");
}
catch (Exception error) when (error is ArgumentException or FormatException)
{
    Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

if (options.Role == "clients")
    return await Fleet.RunAsync(options);

// The server as operators run it: published ReadyToRun. The smoke run (part of the test
// suite) checks the plain build instead, so it costs no publish; the disk's timing needs no server.
options.Server ??= options.Scenarios.All(s => s is "smoke" or "fsync") ? "build" : "published";
if (options.Server == "published")
{
    var published = await ServerPublish.RunAsync();
    if (published is null)
        return 2;
    options.ServerAssembly = published;
}
else if (options.Server == "build")
{
    options.ServerAssembly = RepoPaths.ServerAssembly;
}
else
{
    options.ServerAssembly = Path.GetFullPath(Path.Combine(options.Server, "Lagesbild.Server.dll"));
    Console.Error.WriteLine($"  the server published before in {options.Server}, as it is");
}
if (!File.Exists(options.ServerAssembly))
{
    Console.Error.WriteLine($"The server is not built: {options.ServerAssembly}. Build the solution (-c Release) first.");
    return 2;
}

if (options.StageTimes is { } stageTimes)
{
    options.ServerEnvironment["LAGESBILD_STAGE_TIMES"] = stageTimes.ServerFile;
    options.ClientsEnvironment["LAGESBILD_BENCH_DELIVERIES"] = stageTimes.ClientFile;
}

// The server process inherits this process's environment; the clients' process is started without these.
foreach (var (name, value) in options.ServerEnvironment)
    Environment.SetEnvironmentVariable(name, value);

var scenarios = options.Scenarios.SelectMany(s => s == "all" ? Scenarios.All : [s]).Distinct().ToList();
var report = new BenchReport(ProcessMeter.MachineDescription(), DateTimeOffset.UtcNow, "lagesbild-bench " + string.Join(' ', args), options.ServerEnvironment);
Console.Error.WriteLine($"Lagesbild benchmark: {string.Join(", ", scenarios)} on {report.Machine}");
foreach (var scenario in scenarios)
{
    switch (scenario)
    {
        case "startup":
            report.Startup = await Startup.RunAsync(coldStarts: 5, warmStarts: 3, options);
            break;
        case "fsync":
            report.DiskSync = DiskSyncRun.Run();
            break;
        case "replay":
            report.Replay = await ReplayRun.RunAsync(options);
            break;
        case "after-action":
            report.AfterAction = await AfterActionRun.RunAsync(options);
            break;
        case "overview":
            report.Overview = await OverviewRun.RunAsync(options);
            break;
        case "exports":
            report.Exports = await ExportsRun.RunAsync(options);
            break;
        case "alerts":
            report.Alerts = await AlertsRun.RunAsync(options);
            break;
        case "overview-page":
            report.OverviewPage = await OverviewPageRun.RunAsync(options);
            break;
        case "soak":
            report.Soak = await Soak.RunAsync(options.Clients ?? 1000, options.Rate ?? 10, options.Seconds ?? Soak.DefaultSeconds, options);
            break;
        case "idle-memory":
            report.IdleMemory = await IdleMemory.RunAsync(options.Clients ?? Scenarios.IdleConnections, options);
            break;
        default:
            foreach (var spec in Scenarios.Loads(scenario, options))
                report.Loads.Add(await LoadRun.RunAsync(spec, options));
            break;
    }
}
report.Verdicts.AddRange(Scenarios.Judge(report));

Console.WriteLine();
Console.WriteLine(report.ToTables());
if (options.StageTimes is { } stages && File.Exists(stages.ServerFile) && File.Exists(stages.ClientFile))
{
    Console.WriteLine(stages.Table());
    File.Delete(stages.ServerFile);
    File.Delete(stages.ClientFile);
}
var jsonPath = options.JsonPath ?? Path.Combine(Path.GetTempPath(), $"lagesbild-bench-{report.StartedUtc:yyyyMMdd-HHmmss}.json");
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(jsonPath))!);
await File.WriteAllTextAsync(jsonPath, report.ToJson());
Console.WriteLine($"JSON: {jsonPath}");

// The smoke run is a check, not a measurement: every delivery must arrive, once and in order.
var broken = report.Loads.Where(r => r.Scenario == "smoke").Where(r =>
    r.Lost > 0 || r.Disorder > 0 || r.NormalClients.Resyncs > 0 || r.NormalClients.Closed > 0 || r.ConnectFailed > 0 ||
    r.Drive.Refused > 0 || r.Drive.Accepted == 0 || r.NormalClients.Deliveries != (long)r.Drive.Accepted * r.Connected).ToList();
foreach (var run in broken)
    Console.Error.WriteLine($"SMOKE FAILED: {run.Drive.Accepted} accepted × {run.Connected} clients, {run.NormalClients.Deliveries} delivered, {run.Lost} lost, {run.Disorder} out of order, {run.NormalClients.Resyncs} resyncs, {run.NormalClients.Closed} closed, {run.ConnectFailed} failed to connect, {run.Drive.Refused} refused.");
return broken.Count > 0 ? 1 : 0;
