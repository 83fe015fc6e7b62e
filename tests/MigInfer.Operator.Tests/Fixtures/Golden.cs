using System.Runtime.CompilerServices;

namespace MigInfer.Operator.Tests.Fixtures;

/// <summary>Compares rendered text with a file under Golden/; MIGINFER_UPDATE_GOLDEN=1 rewrites the file instead.</summary>
internal static class Golden
{
    public static void Match(string name, string actual, [CallerFilePath] string caller = "")
    {
        var path = RepoPaths.Golden(name);
        if (Environment.GetEnvironmentVariable("MIGINFER_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"{path} is missing; run the tests with MIGINFER_UPDATE_GOLDEN=1 to write it ({Path.GetFileName(caller)})");
        Assert.Equal(File.ReadAllText(path), actual);
    }
}
