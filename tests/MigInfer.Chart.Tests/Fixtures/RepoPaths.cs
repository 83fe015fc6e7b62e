namespace MigInfer.Chart.Tests.Fixtures;

/// <summary>Finds files of the repository from the test's output folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Chart { get; } = Path.Combine(Root, "charts", "miginfer");

    public static string InRoot(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string InChart(params string[] parts) => Path.Combine([Chart, .. parts]);

    /// <summary>Source files of a folder, without build outputs.</summary>
    public static IEnumerable<string> Sources(string folder, string pattern) =>
        Directory.EnumerateFiles(InRoot(folder), pattern, SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MigInfer.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no MigInfer.sln above {AppContext.BaseDirectory}");
    }
}
