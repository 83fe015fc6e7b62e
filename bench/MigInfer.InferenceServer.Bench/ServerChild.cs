using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MigInfer.InferenceServer.Bench;

/// <summary>The real server binary as a child process on loopback, as a slice pod runs it.</summary>
internal sealed partial class ServerChild : IDisposable
{
    private readonly Process _process;

    private ServerChild(Process process, string grpc, string metrics)
    {
        _process = process;
        GrpcAddress = grpc;
        MetricsAddress = metrics;
    }

    /// <summary>host:port of the metrics listener.</summary>
    public string MetricsAddress { get; }

    /// <summary>host:port of the gRPC listener.</summary>
    public string GrpcAddress { get; }

    public static async Task<ServerChild> StartAsync(string modelPath, string modelName, int maxBatch, int intraOpThreads)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        string[] arguments =
        [
            Path.Combine(AppContext.BaseDirectory, "MigInfer.InferenceServer.dll"),
            "--model-path", modelPath, "--model-name", modelName,
            "--max-batch-size", maxBatch.ToString(CultureInfo.InvariantCulture),
            "--intra-op-threads", intraOpThreads.ToString(CultureInfo.InvariantCulture),
            "--listen-address", "127.0.0.1", "--http-port", "0", "--grpc-port", "0", "--metrics-port", "0",
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the server");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
        {
            if (Listening().Match(line) is { Success: true } match)
            {
                // Keep draining the log so the server never blocks on a full pipe.
                _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                return new ServerChild(process, match.Groups["grpc"].Value, match.Groups["metrics"].Value);
            }
        }

        throw new InvalidOperationException("the server exited before it was listening");
    }

    /// <summary>Mean server-side milliseconds per request in the queue, in execution and from arrival to answer, from its Triton counters.</summary>
    public async Task<(double QueueMs, double ComputeMs, double RequestMs)> BreakdownAsync()
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri($"http://{MetricsAddress}/metrics")).ConfigureAwait(false);
        double Value(string name) => text.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)).Sum();
        var requests = Value("nv_inference_request_success");
        var executions = Value("nv_inference_exec_count");
        return (Value("nv_inference_queue_duration_us") / requests / 1000, Value("nv_inference_compute_infer_duration_us") / executions / 1000, Value("nv_inference_request_duration_us") / requests / 1000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"^listening .*grpc=(?<grpc>\S+) metrics=(?<metrics>\S+)")]
    private static partial Regex Listening();
}
