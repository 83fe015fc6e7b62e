using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MigInfer.Cli.Tests.Fixtures;

namespace MigInfer.EndToEnd.Tests.Fixtures;

/// <summary>
/// A <c>miginfer local up</c> process over a copy of a fixture folder, with its own MIGINFER_HOME:
/// started, read until ready, stopped with SIGINT like Ctrl-C.
/// </summary>
internal sealed class LocalMode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LocalMode(string folder, string home, Process process)
    {
        Folder = folder;
        Home = home;
        _process = process;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Folder { get; }

    public string Home { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Copies <paramref name="fixture"/> to a fresh folder and starts local mode on it.</summary>
    public static LocalMode Start(string fixture, Action<string>? edit = null, params string[] extraArgs)
    {
        var root = Directory.CreateTempSubdirectory("miginfer-e2e-").FullName;
        var folder = Path.Combine(root, "cluster");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture)))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        edit?.Invoke(folder);
        var home = Path.Combine(root, "home");
        var process = Process.Start(CliProcess.StartInfo(root, home, ["local", "up", folder, .. extraArgs]))!;
        return new LocalMode(folder, home, process);
    }

    /// <summary>Waits for the "ready" line; fails with the output if the process exits or time runs out.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var done = await Task.WhenAny(_ready.Task, exited, Task.Delay(timeout));
        if (done != _ready.Task)
        {
            throw new InvalidOperationException($"local mode was not ready ({(done == exited ? $"exited with {_process.ExitCode}" : "timed out")}):\n{Output}");
        }
    }

    /// <summary>Sends SIGINT (Ctrl-C) and waits for the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>The published state (services, slices, endpoints, pids).</summary>
    public JsonDocument State() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Home, "local.json")));

    public Task<(int ExitCode, string Out, string Err)> Cli(params string[] args) => CliProcess.RunIn(Folder, Home, args);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(Path.GetDirectoryName(Folder)!, recursive: true);
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.StartsWith("ready", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }
}
