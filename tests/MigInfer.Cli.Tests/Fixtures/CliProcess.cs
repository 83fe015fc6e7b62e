using System.Diagnostics;

namespace MigInfer.Cli.Tests.Fixtures;

/// <summary>Runs the built <c>miginfer</c> as a user would, with a timeout, and captures its output.</summary>
internal static class CliProcess
{
    public static string Examples => Path.Combine(AppContext.BaseDirectory, "examples");

    /// <summary>How to start <c>miginfer args</c>; <paramref name="home"/> sets MIGINFER_HOME (local mode's state).</summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, string? home, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "miginfer.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        if (home is not null)
        {
            info.Environment["MIGINFER_HOME"] = home;
        }

        info.Environment["NO_COLOR"] = "1";
        return info;
    }

    public static Task<(int ExitCode, string Out, string Err)> Run(string workingDirectory, params string[] args) =>
        RunIn(workingDirectory, null, args);

    public static async Task<(int ExitCode, string Out, string Err)> RunIn(string workingDirectory, string? home, params string[] args)
    {
        using var process = Process.Start(StartInfo(workingDirectory, home, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"miginfer {string.Join(' ', args)} did not finish within 90 s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
