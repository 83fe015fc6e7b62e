using System.Diagnostics;
using System.Text.RegularExpressions;
using Grpc.Net.Client;
using MigInfer.InferenceServer.Protocol;

namespace MigInfer.InferenceServer.Tests.Fixtures;

/// <summary>
/// A server as a real child process (<c>dotnet MigInfer.InferenceServer.dll ...</c>, the binary
/// copied next to the tests), started with a command line and read back from its "listening" line.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(string Text, TaskCompletionSource<string> Found)> _awaited = [];
    private readonly List<string> _lines = [];

    private ServerProcess(Process process) => _process = process;

    public GrpcChannel Channel { get; private set; } = null!;

    public GRPCInferenceService.GRPCInferenceServiceClient Grpc { get; private set; } = null!;

    public HttpClient Metrics { get; private set; } = null!;

    public bool HasExited => _process.HasExited;

    public static async Task<ServerProcess> StartAsync(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MigInfer.InferenceServer.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }

            if (line.StartsWith("listening ", StringComparison.Ordinal))
            {
                server._listening.TrySetResult(line);
            }

            server.Received(line);
        };
        process.ErrorDataReceived += (_, _) => { };
        process.Exited += (_, _) => server._listening.TrySetException(new InvalidOperationException("the server process exited before it was listening"));
        process.EnableRaisingEvents = true;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var listening = await server._listening.Task.WithTimeout(TimeSpan.FromSeconds(60));
        var grpc = ListeningLine().Match(listening);
        server.Channel = GrpcChannel.ForAddress($"http://{grpc.Groups["grpc"].Value}", new GrpcChannelOptions { MaxReceiveMessageSize = null });
        server.Grpc = new GRPCInferenceService.GRPCInferenceServiceClient(server.Channel);
        server.Metrics = new HttpClient { BaseAddress = new Uri($"http://{grpc.Groups["metrics"].Value}"), Timeout = TestTimeouts.Default };
        return server;
    }

    /// <summary>The value of a metric series whose line starts with <paramref name="series"/>; null when absent.</summary>
    public Task<double?> MetricAsync(string series) => MetricsText.ScrapeAsync(Metrics, series);

    /// <summary>The first line of the server's standard output (its log) that contains <paramref name="text"/>, past or future.</summary>
    public Task<string> LineContainingAsync(string text)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lines)
        {
            if (_lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } seen)
            {
                return Task.FromResult(seen);
            }

            _awaited.Add((text, found));
        }

        return found.Task;
    }

    /// <summary>Kills the process at once, as a crash or an OOM kill would.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        Channel?.Dispose();
        Metrics?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().WithTimeout();
        _process.Dispose();
    }

    private void Received(string line)
    {
        lock (_lines)
        {
            _lines.Add(line);
            foreach (var awaited in _awaited.Where(a => line.Contains(a.Text, StringComparison.Ordinal)).ToList())
            {
                awaited.Found.TrySetResult(line);
                _awaited.Remove(awaited);
            }
        }
    }

    [GeneratedRegex(@"grpc=(?<grpc>\S+) metrics=(?<metrics>\S+)")]
    private static partial Regex ListeningLine();
}
