namespace Lagesbild.Maps;

/// <summary>Where the tool reads the city's open data and writes the map files.</summary>
public sealed record MapsOptions(string DataDirectory, string OutDirectory)
{
    public const string Command = "dotnet run --project src/Lagesbild.Maps -- --data ../shared/data --out maps";

    public const string Usage =
        "usage: dotnet run --project src/Lagesbild.Maps -- [--data <dir>] [--out <dir>]\n" +
        "  --data  the city's open data (default: <repo>/../shared/data)\n" +
        "  --out   where the map files go (default: <repo>/maps)\n" +
        "exit code: 0 done, 1 the demo data has problems (files are still written), 2 bad arguments or input";

    /// <summary>Paths given on the command line are relative to the current directory, defaults to the repository root.</summary>
    public static MapsOptions Parse(IReadOnlyList<string> args, string currentDirectory)
    {
        string? data = null;
        string? output = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--data" when i + 1 < args.Count:
                    data = args[++i];
                    break;
                case "--out" when i + 1 < args.Count:
                    output = args[++i];
                    break;
                default:
                    throw new ArgumentException($"Unknown or incomplete argument \"{args[i]}\".\n{Usage}");
            }
        }

        // The defaults hang off the repository root so the tool does the same from any folder inside it.
        return new MapsOptions(
            Path.GetFullPath(data ?? Path.Combine(RepositoryRoot(currentDirectory), "..", "shared", "data"), currentDirectory),
            Path.GetFullPath(output ?? Path.Combine(RepositoryRoot(currentDirectory), "maps"), currentDirectory));
    }

    private static string RepositoryRoot(string from)
    {
        for (var directory = new DirectoryInfo(from); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Lagesbild.sln")))
            {
                return directory.FullName;
            }
        }

        throw new ArgumentException($"{from} is not inside the Lagesbild repository; pass --data and --out.\n{Usage}");
    }
}
