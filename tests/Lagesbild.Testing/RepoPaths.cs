namespace Lagesbild.Testing;

/// <summary>Finds the repository and the shared data beside it from wherever the tests run.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string SharedData => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));

    /// <summary>The standards' schemas beside the repository (for example the CAP 1.2 schema).</summary>
    public static string SharedStandards => Path.GetFullPath(Path.Combine(Root, "..", "shared", "standards"));

    public static string ServerProject => Path.Combine(Root, "src", "Lagesbild.Server");

    /// <summary>The built server, in the same configuration as the running tests.</summary>
    public static string ServerAssembly
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
            return Path.Combine(ServerProject, "bin", configuration, "net10.0", "Lagesbild.Server.dll");
        }
    }

    /// <summary>
    /// Where <c>./run.sh</c> and the benchmark publish the server: ReadyToRun (compiled ahead of
    /// time), as it runs in production.
    /// </summary>
    public static string PublishedServerDirectory => Path.Combine(Root, "artifacts", "server");

    public static string PublishedServerAssembly => Path.Combine(PublishedServerDirectory, "Lagesbild.Server.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Lagesbild.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Lagesbild.sln not found above " + AppContext.BaseDirectory);
    }
}
