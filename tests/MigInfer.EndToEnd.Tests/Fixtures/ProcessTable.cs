namespace MigInfer.EndToEnd.Tests.Fixtures;

/// <summary>Looks at the machine's processes (Linux /proc), to prove that nothing was left behind.</summary>
internal static class ProcessTable
{
    /// <summary>Processes whose command line mentions <paramref name="text"/>.</summary>
    public static IReadOnlyList<int> Mentioning(string text) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => (Pid: int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0, Dir: d))
            .Where(p => p.Pid > 0 && p.Pid != Environment.ProcessId && CommandLine(p.Dir).Contains(text, StringComparison.Ordinal))
            .Select(p => p.Pid)
            .ToList();

    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    private static string CommandLine(string dir)
    {
        try
        {
            return File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
