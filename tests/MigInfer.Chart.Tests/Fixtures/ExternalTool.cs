using System.Diagnostics;

namespace MigInfer.Chart.Tests.Fixtures;

/// <summary>
/// A real command-line tool that users of the chart run (Helm, promtool), found as the environment variable
/// <paramref name="variable"/>, else the pinned copy in <c>.tools/bin</c>, else on the PATH. Tests that need one are
/// skipped without it, saying how to get it; CI sets <c>MIGINFER_REQUIRE_TOOLS=1</c>, which turns a missing tool into
/// a failure.
/// </summary>
internal sealed class ExternalTool(string name, string variable, string howToInstall)
{
    private readonly Lazy<string?> _binary = new(() => Find(name, variable));

    /// <summary>Skips the calling test when the tool is missing (fails it when CI requires the tools).</summary>
    public void Require() => RequireThat(_binary.Value is not null, name, $"{howToInstall}, or set {variable} to a {name} binary");

    /// <summary>
    /// Skips the calling test when <paramref name="present"/> is false, saying what is missing and how to get it; fails
    /// it instead when CI requires the tools (<c>MIGINFER_REQUIRE_TOOLS=1</c>).
    /// </summary>
    public static void RequireThat(bool present, string what, string how)
    {
        if (!present && Environment.GetEnvironmentVariable("MIGINFER_REQUIRE_TOOLS") == "1")
        {
            throw new InvalidOperationException($"MIGINFER_REQUIRE_TOOLS=1 but no {what} was found: {how}");
        }

        Skip.If(!present, $"no {what} found: {how}");
    }

    /// <summary>Runs the tool in the repository root with these arguments and environment additions.</summary>
    public ToolRun Run(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        Require();
        var start = new ProcessStartInfo(_binary.Value!)
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{name} {string.Join(' ', start.ArgumentList)} did not finish within a minute");
        }

        return new ToolRun(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string? Find(string name, string variable)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : throw new InvalidOperationException($"{variable}={configured}: no such file");
        }

        var pinned = RepoPaths.InRoot(".tools", "bin", name);
        if (File.Exists(pinned))
        {
            return pinned;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }
}

internal sealed record ToolRun(int ExitCode, string Stdout, string Stderr);
