namespace MigInfer.Operator.Tests.Fixtures;

/// <summary>Finds files of the repository from the test's output folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Crd(string name) => Path.Combine(Root, "crds", name);

    public static string Golden(string name) => Path.Combine(Root, "tests", "MigInfer.Operator.Tests", "Golden", name);

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
