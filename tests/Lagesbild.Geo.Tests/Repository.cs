namespace Lagesbild.Geo.Tests;

/// <summary>Where the repository's map files and the shared open data (a sibling of the repository) are.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string SharedData => Path.Combine(Root, "..", "shared", "data");

    public static string Maps => Path.Combine(Root, "maps");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, "..", "shared", "data"))
                && File.Exists(Path.Combine(directory.FullName, "Lagesbild.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException(
            $"No repository with a sibling shared/data above {AppContext.BaseDirectory}; the tests read the city's open data from there.");
    }
}
