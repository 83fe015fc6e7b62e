using System.Net;

namespace MigInfer.InferenceServer.Configuration;

/// <summary>Everything the server is configured with (DESIGN.md 5.1), from the command line or the environment.</summary>
internal sealed record ServerOptions
{
    /// <summary>A local path, a <c>file://</c> URI or an <c>http(s)://</c> URL of the ONNX model.</summary>
    public required string ModelPath { get; init; }

    public required string ModelName { get; init; }

    public string ModelVersion { get; init; } = "1";

    public IPAddress ListenAddress { get; init; } = IPAddress.Any;

    public int HttpPort { get; init; } = 8000;

    public int GrpcPort { get; init; } = 8001;

    public int MetricsPort { get; init; } = 8002;

    /// <summary>The MIG profile of the slice (the <c>GPU_I_PROFILE</c> metric label); <c>none</c> off a MIG slice.</summary>
    public string SliceProfile { get; init; } = "none";

    /// <summary>The latency objective; null when the service has none.</summary>
    public TimeSpan? Slo { get; init; }

    /// <summary>The percentage of client requests to answer within their deadline (the service's spec.slo.percentile).</summary>
    public double SloPercentile { get; init; } = 99;

    public int MaxBatchSize { get; init; } = 32;

    public TimeSpan MaxQueueDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Triton's <c>preferred_batch_size</c>: sizes a batch is dispatched at rather than waiting for more.</summary>
    public IReadOnlyList<int> PreferredBatchSizes { get; init; } = [];

    /// <summary>
    /// The longest lengths of symbolic dimensions past the batch (<c>--max-dims sequence=512</c>), added to and overriding
    /// what the model declares in its <c>miginfer.max_dims</c> metadata.
    /// </summary>
    public IReadOnlyDictionary<string, long> MaxDims { get; init; } = new Dictionary<string, long>();

    public int MaxQueueSize { get; init; } = 1024;

    public int MaxMessageBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>The static peers (<c>--peers</c>); they stay for the life of the process.</summary>
    public IReadOnlyList<DnsEndPoint> Peers { get; init; } = [];

    /// <summary>
    /// A DNS name (the service's headless Service) whose addresses are its ready slices, and their gRPC port;
    /// null when peers are only the static list. Discovered peers join and leave as the name's addresses change.
    /// </summary>
    public DnsEndPoint? PeerDns { get; init; }

    /// <summary>How often <see cref="PeerDns"/> is resolved again.</summary>
    public TimeSpan PeerRefresh { get; init; } = TimeSpan.FromSeconds(5);

    public string? ProfileFile { get; init; }

    public ExecutionProviderKind ExecutionProvider { get; init; } = ExecutionProviderKind.Cpu;

    /// <summary>ONNX Runtime intra-op threads; 0 lets ONNX Runtime choose.</summary>
    public int IntraOpThreads { get; init; }

    public string ModelCacheDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "miginfer-models");

    public long ModelMaxBytes { get; init; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Expected SHA-256 of the model file as hex; null skips the check.</summary>
    public string? ModelSha256 { get; init; }
}
