using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MigInfer.Cli.Local;

/// <summary>
/// One inference-server process for one planned slice: started with the slice's command line, its
/// output appended to a log file, ready when its HTTP health says so, stopped with SIGTERM (the
/// server drains its queue) and killed only if it does not exit in time.
/// </summary>
internal sealed partial class SliceProcess(SliceLaunch launch, string serverAssembly, string logPath) : IDisposable
{
    private const int SigTerm = 15;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private Process? _process;
    private StreamWriter? _log;

    /// <summary>Where this start's lines begin in the log, which keeps every start's.</summary>
    private long _logStart;

    public SliceLaunch Launch { get; } = launch;

    public string LogPath { get; } = logPath;

    public int Pid => _process?.Id ?? 0;

    public bool HasExited => _process is null || _process.HasExited;

    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    public void Start()
    {
        Dispose();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(serverAssembly);
        foreach (var argument in Launch.Arguments())
        {
            info.ArgumentList.Add(argument);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(LogPath)!);
        _logStart = File.Exists(LogPath) ? new FileInfo(LogPath).Length : 0;
        _log = new StreamWriter(LogPath, append: true) { AutoFlush = true };
        var log = _log;
        _process = new Process { StartInfo = info, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Append(log, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Completes when the process exits.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken) =>
        _process?.WaitForExitAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>Waits until the server reports ready; fails with the end of its log if it exits or times out.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var url = $"http://127.0.0.1:{Launch.HttpPort}/v2/health/ready";
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (HasExited)
            {
                // Waiting for the exit drains the output, so the server's last lines are in the log.
                await _process!.WaitForExitAsync(cancellationToken);
                throw new InvalidOperationException($"{Launch.Title} exited with code {ExitCode} before it was ready:\n{Failure()}");
            }

            try
            {
                using var response = await Http.GetAsync(url, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A health probe timed out; try again.
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"{Launch.Title} was not ready within {timeout.TotalSeconds:0} s:\n{Tail()}");
    }

    /// <summary>Asks the server to drain and exit, and kills it if it has not within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        _ = Kill(_process.Id, SigTerm);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>The last lines this start wrote to the server's log, for error messages.</summary>
    private string Tail(int lines = 15) => string.Join('\n', ThisStart().TakeLast(lines));

    /// <summary>Why a server stopped: its critical and error log lines from this start, else the end of its log.</summary>
    private string Failure()
    {
        var failures = ThisStart().Where(line => line.Contains(" crit: ", StringComparison.Ordinal) || line.Contains(" fail: ", StringComparison.Ordinal)).ToList();
        return failures.Count > 0 ? string.Join('\n', failures) + $"\n(log: {LogPath})" : Tail();
    }

    private string[] ThisStart()
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(Math.Min(_logStart, stream.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().TrimEnd('\n').Split('\n');
        }
        catch (IOException)
        {
            return ["(no log)"];
        }
    }

    public void Dispose()
    {
        _process?.Dispose();
        _process = null;
        _log?.Dispose();
        _log = null;
    }

    private static void Append(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The process is being replaced; its last lines are not needed.
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
