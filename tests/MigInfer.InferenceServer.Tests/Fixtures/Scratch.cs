using System.Diagnostics;

namespace MigInfer.InferenceServer.Tests.Fixtures;

/// <summary>
/// The test run's one temporary folder. Every file these tests write goes below it, so repeated runs do not fill the
/// disk (the zoo models alone take about 400 MB). It is removed when the test process exits and, because the test
/// host can be stopped before that finishes, by the next run once its process is gone.
/// </summary>
internal static class Scratch
{
    private const string Prefix = "miginfer-server-tests-";

    private static readonly string Root = CreateRoot();
    private static int _folders;

    /// <summary>A new, empty folder below the run's folder; <paramref name="name"/> says what it holds.</summary>
    public static string NewFolder(string name) =>
        Directory.CreateDirectory(Path.Combine(Root, $"{name}-{Interlocked.Increment(ref _folders)}")).FullName;

    private static string CreateRoot()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            var owner = Path.GetFileName(folder)[Prefix.Length..].Split('-')[0];
            if (int.TryParse(owner, out var pid) && !IsRunning(pid))
            {
                Remove(folder);
            }
        }

        var root = Directory.CreateTempSubdirectory($"{Prefix}{Environment.ProcessId}-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Remove(root);
        return root;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Best effort: a folder another run still writes to, or one already gone, is left to a later run.</summary>
    private static void Remove(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
