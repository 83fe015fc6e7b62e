using System.CommandLine;
using System.Globalization;
using System.Net;
using MigInfer.InferenceServer.Model;

namespace MigInfer.InferenceServer.Configuration;

/// <summary>
/// The server's command line (DESIGN.md 5.1). Every option may instead come from the environment as
/// <c>MIGINFER_</c> plus the option name in upper snake case (<c>--model-path</c> → <c>MIGINFER_MODEL_PATH</c>);
/// the command line wins.
/// </summary>
internal static class ServerCommandLine
{
    private static readonly (string Name, string Description)[] Specs =
    [
        ("--model-path", "ONNX model: a local path, file:// URI or http(s):// URL (required)"),
        ("--model-name", "name clients address (default: the model file name without extension)"),
        ("--model-version", "version clients may address (default 1)"),
        ("--http-port", "HTTP/JSON port, 0 picks a free one (default 8000)"),
        ("--grpc-port", "gRPC port, 0 picks a free one (default 8001)"),
        ("--metrics-port", "Prometheus /metrics port, 0 picks a free one (default 8002)"),
        ("--slice-profile", "MIG profile of the slice, e.g. 3g.20gb, the GPU_I_PROFILE label (default none)"),
        ("--slo-ms", "latency objective in milliseconds; batches stop waiting when waiting would miss it"),
        ("--slo-percentile", "percentage of requests to answer within --slo-ms, from 50 to 99.99, exported for alerts as miginfer_slo_objective_ratio (default 99)"),
        ("--max-batch-size", "largest batch of a batched model (default 32)"),
        ("--max-queue-delay-us", "how long the oldest request may wait for a fuller batch (default 0)"),
        ("--preferred-batch-sizes", "batch sizes to dispatch at without waiting longer, comma-separated, each at most --max-batch-size (default none)"),
        ("--max-dims", "longest lengths of variable dimensions past the batch, by symbolic name: sequence=512,... (adds to and overrides the model's miginfer.max_dims); longer requests are INVALID_ARGUMENT and warm-up runs these lengths"),
        ("--peers", "other slices of the service, host:port,host:port"),
        ("--peer-dns", "DNS name whose addresses are the service's ready slices, with their gRPC port: host:port (the headless Service)"),
        ("--peer-refresh-ms", "how often --peer-dns is resolved again, in milliseconds (default 5000, at least 100)"),
        ("--profile-file", "latency profile of the model per slice profile"),
        ("--execution-provider", "cpu or cuda (default cpu; cuda falls back to cpu when unavailable)"),
        ("--intra-op-threads", "ONNX Runtime intra-op threads, 0 lets it choose (default 0)"),
        ("--listen-address", "address to bind (default 0.0.0.0)"),
        ("--max-queue-size", "requests that may wait before RESOURCE_EXHAUSTED (default 1024)"),
        ("--max-message-bytes", "largest request message or body (default 67108864)"),
        ("--model-cache-dir", "folder for downloaded models (default: temp/miginfer-models)"),
        ("--model-max-bytes", "largest model file accepted (default 4294967296)"),
        ("--model-sha256", "expected SHA-256 of the model file, hex"),
    ];

    /// <summary>The environment variable of an option, e.g. <c>MIGINFER_MODEL_PATH</c>.</summary>
    public static string EnvironmentName(string option) => "MIGINFER_" + option.TrimStart('-').Replace('-', '_').ToUpperInvariant();

    public static RootCommand Create(Func<string, string?> environment, Func<ServerOptions, CancellationToken, Task<int>> run)
    {
        var root = new RootCommand("MigInfer inference server: Open Inference Protocol (KServe v2) over gRPC and HTTP, executed with ONNX Runtime");
        var options = Specs.ToDictionary(s => s.Name, s => new Option<string?>(s.Name) { Description = $"{s.Description} [env {EnvironmentName(s.Name)}]" });
        foreach (var option in options.Values)
        {
            root.Options.Add(option);
        }

        root.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var bound = Bind(name => parse.GetValue(options[name]) ?? environment(EnvironmentName(name)), errors);
            if (bound is null)
            {
                errors.ForEach(e => Console.Error.WriteLine(e));
                return 2;
            }

            return await run(bound, cancellationToken).ConfigureAwait(false);
        });
        return root;
    }

    /// <summary>Builds options from raw values, or returns null and adds one message per bad value.</summary>
    public static ServerOptions? Bind(Func<string, string?> value, List<string> errors)
    {
        T Parse<T>(string name, T fallback, Func<string, T?> parse, string expected)
        {
            var text = value(name);
            if (string.IsNullOrWhiteSpace(text))
            {
                return fallback;
            }

            if (parse(text.Trim()) is { } parsed)
            {
                return parsed;
            }

            errors.Add($"{name} ({EnvironmentName(name)}) is '{text}' but must be {expected}");
            return fallback;
        }

        int Int(string name, int fallback, int min, int max) =>
            Parse<int?>(name, fallback, t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max ? v : null, $"an integer from {min} to {max}")!.Value;

        long Long(string name, long fallback, long min) =>
            Parse<long?>(name, fallback, t => long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min ? v : null, $"an integer of at least {min}")!.Value;

        var modelPath = value("--model-path");
        if (string.IsNullOrWhiteSpace(modelPath))
        {
            errors.Add($"--model-path ({EnvironmentName("--model-path")}) is required");
        }

        var defaults = new ServerOptions { ModelPath = "", ModelName = "" };
        var sloMs = Parse<double?>("--slo-ms", null, t => double.TryParse(t, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : null, "a positive number of milliseconds");
        var options = new ServerOptions
        {
            ModelPath = modelPath ?? "",
            ModelName = Parse("--model-name", DefaultName(modelPath), t => t, "a name"),
            ModelVersion = Parse("--model-version", defaults.ModelVersion, t => t, "a version"),
            HttpPort = Int("--http-port", defaults.HttpPort, 0, 65535),
            GrpcPort = Int("--grpc-port", defaults.GrpcPort, 0, 65535),
            MetricsPort = Int("--metrics-port", defaults.MetricsPort, 0, 65535),
            SliceProfile = Parse("--slice-profile", defaults.SliceProfile, t => t, "a MIG profile name"),
            Slo = sloMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            SloPercentile = Parse<double?>("--slo-percentile", defaults.SloPercentile, t => double.TryParse(t, CultureInfo.InvariantCulture, out var v) && v is >= 50 and <= 99.99 ? v : null, "a percentage from 50 to 99.99")!.Value,
            MaxBatchSize = Int("--max-batch-size", defaults.MaxBatchSize, 1, 1 << 20),
            MaxQueueDelay = TimeSpan.FromMicroseconds(Long("--max-queue-delay-us", 0, 0)),
            PreferredBatchSizes = Parse<IReadOnlyList<int>>("--preferred-batch-sizes", [], ParseSizes, "a comma-separated list of batch sizes of at least 1"),
            MaxDims = Parse("--max-dims", defaults.MaxDims, DimensionLimits.Parse, "a comma-separated list of dimension=length, each length at least 1"),
            Peers = Parse<IReadOnlyList<DnsEndPoint>>("--peers", [], ParsePeers, "a comma-separated list of host:port"),
            PeerDns = Parse<DnsEndPoint?>("--peer-dns", null, ParseEndPoint, "host:port with a port from 1 to 65535"),
            PeerRefresh = TimeSpan.FromMilliseconds(Int("--peer-refresh-ms", (int)defaults.PeerRefresh.TotalMilliseconds, 100, 3_600_000)),
            ProfileFile = value("--profile-file"),
            ExecutionProvider = Parse<ExecutionProviderKind?>("--execution-provider", ExecutionProviderKind.Cpu, t => t.ToLowerInvariant() switch
            {
                "cpu" => ExecutionProviderKind.Cpu,
                "cuda" => ExecutionProviderKind.Cuda,
                _ => null,
            }, "cpu or cuda")!.Value,
            IntraOpThreads = Int("--intra-op-threads", 0, 0, 1024),
            ListenAddress = Parse("--listen-address", defaults.ListenAddress, t => IPAddress.TryParse(t, out var a) ? a : null, "an IP address"),
            MaxQueueSize = Int("--max-queue-size", defaults.MaxQueueSize, 1, int.MaxValue),
            MaxMessageBytes = Int("--max-message-bytes", defaults.MaxMessageBytes, 1024, int.MaxValue),
            ModelCacheDirectory = Parse("--model-cache-dir", defaults.ModelCacheDirectory, t => t, "a folder"),
            ModelMaxBytes = Long("--model-max-bytes", defaults.ModelMaxBytes, 1),
            ModelSha256 = Parse<string?>("--model-sha256", null, t => t.Length == 64 && t.All(char.IsAsciiHexDigit) ? t.ToLowerInvariant() : null, "64 hex digits"),
        };

        if (options.PreferredBatchSizes.FirstOrDefault(size => size > options.MaxBatchSize) is > 0 and var tooLarge)
        {
            errors.Add($"--preferred-batch-sizes ({EnvironmentName("--preferred-batch-sizes")}) has {tooLarge}, above --max-batch-size {options.MaxBatchSize}");
        }

        string[] listeners = ["--http-port", "--grpc-port", "--metrics-port"];
        int[] ports = [options.HttpPort, options.GrpcPort, options.MetricsPort];
        for (var i = 1; i < ports.Length; i++)
        {
            if (ports[i] != 0 && Array.IndexOf(ports, ports[i]) is var first && first < i)
            {
                errors.Add($"{listeners[i]} ({EnvironmentName(listeners[i])}) is {ports[i]}, the same as {listeners[first]}; give each listener its own port");
            }
        }

        if (options.ProfileFile is { Length: > 0 } profile && !File.Exists(profile))
        {
            errors.Add($"--profile-file ({EnvironmentName("--profile-file")}) '{profile}' does not exist");
        }

        return errors.Count == 0 ? options : null;
    }

    private static string DefaultName(string? modelPath)
    {
        if (string.IsNullOrWhiteSpace(modelPath))
        {
            return "";
        }

        var path = Uri.TryCreate(modelPath, UriKind.Absolute, out var uri) && !uri.IsFile ? uri.LocalPath : modelPath;
        return Path.GetFileNameWithoutExtension(path) is { Length: > 0 } name ? name : "model";
    }

    private static IReadOnlyList<int>? ParseSizes(string text)
    {
        var sizes = new List<int>();
        foreach (var size in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                return null;
            }

            sizes.Add(value);
        }

        return sizes;
    }

    private static IReadOnlyList<DnsEndPoint>? ParsePeers(string text)
    {
        var peers = new List<DnsEndPoint>();
        foreach (var peer in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (ParseEndPoint(peer) is not { } endPoint)
            {
                return null;
            }

            peers.Add(endPoint);
        }

        return peers;
    }

    private static DnsEndPoint? ParseEndPoint(string text)
    {
        var colon = text.LastIndexOf(':');
        return colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535
            ? null
            : new DnsEndPoint(text[..colon], port);
    }
}
