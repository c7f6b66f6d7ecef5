using System.Diagnostics;
using Lagesbild.Testing;

namespace Lagesbild.Bench;

/// <summary>
/// Publishes the server the way <c>./run.sh</c> and the container image do: self-contained, with
/// the .NET runtime compiled together with it into one composite ReadyToRun image, into
/// artifacts/server. Start-up then runs precompiled code instead of waiting for the JIT.
/// </summary>
public static class ServerPublish
{
    /// <summary>The same arguments run.sh and deploy/Dockerfile give <c>dotnet publish</c>.</summary>
    public static readonly string[] Arguments =
        ["publish", "src/Lagesbild.Server", "-c", "Release", "--use-current-runtime", "--self-contained", "true", "-p:PublishReadyToRun=true", "-p:PublishReadyToRunComposite=true"];

    /// <summary>The published server's assembly, or null (with the reason printed) when publishing failed.</summary>
    public static async Task<string?> RunAsync()
    {
        var started = Stopwatch.StartNew();
        Console.Error.WriteLine($"  {DateTime.Now:HH:mm:ss} publishing the server (self-contained, composite ReadyToRun) into {RepoPaths.PublishedServerDirectory}");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in Arguments)
            info.ArgumentList.Add(argument);
        // The benchmark needs no map page; the page is built by run.sh and the tests.
        info.ArgumentList.Add("-p:LagesbildSkipWeb=true");
        info.ArgumentList.Add("-o");
        info.ArgumentList.Add(RepoPaths.PublishedServerDirectory);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            Console.Error.WriteLine($"dotnet publish failed ({process.ExitCode}):\n{await output}\n{await errors}");
            return null;
        }
        Console.Error.WriteLine($"  {DateTime.Now:HH:mm:ss} published in {started.Elapsed.TotalSeconds:F0} s");
        return RepoPaths.PublishedServerAssembly;
    }
}
