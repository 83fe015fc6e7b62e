namespace MigInfer.InferenceServer.Hosting;

/// <summary>The server's log events, with stable ids.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Listening http={Http} grpc={Grpc} metrics={Metrics}")]
    public static partial void Listening(this ILogger logger, string http, string grpc, string metrics);

    [LoggerMessage(2, LogLevel.Information, "Model {Model} version {Version} fetched to {Path} ({Bytes} bytes, sha256 {Sha256})")]
    public static partial void ModelFetched(this ILogger logger, string model, string version, string path, long bytes, string sha256);

    [LoggerMessage(3, LogLevel.Information, "Execution provider {Provider} for model {Model}")]
    public static partial void ExecutionProviderChosen(this ILogger logger, string provider, string model);

    [LoggerMessage(4, LogLevel.Warning, "CUDA execution provider requested but not available, falling back to CPU: {Reason}")]
    public static partial void CudaFallback(this ILogger logger, string reason);

    [LoggerMessage(5, LogLevel.Information, "Model {Model} loaded: {Inputs} inputs, {Outputs} outputs, batched {Batched}, max batch {MaxBatch}, warm-up {WarmUpMs} ms")]
    public static partial void ModelLoaded(this ILogger logger, string model, int inputs, int outputs, bool batched, int maxBatch, double warmUpMs);

    [LoggerMessage(6, LogLevel.Critical, "Model {Model} failed to load; stopping")]
    public static partial void ModelLoadFailed(this ILogger logger, Exception exception, string model);

    [LoggerMessage(6, LogLevel.Critical, "Model {Model} failed to load; stopping: {Reason}")]
    public static partial void ModelLoadFailed(this ILogger logger, string model, string reason);

    [LoggerMessage(7, LogLevel.Information, "Draining: refusing new requests, answering {Pending} queued")]
    public static partial void Draining(this ILogger logger, int pending);

    [LoggerMessage(8, LogLevel.Information, "Drained")]
    public static partial void Drained(this ILogger logger);

    [LoggerMessage(9, LogLevel.Error, "Batch of {Requests} requests failed in execution")]
    public static partial void BatchFailed(this ILogger logger, Exception exception, int requests);

    [LoggerMessage(10, LogLevel.Error, "Unexpected failure serving {Operation}")]
    public static partial void UnexpectedFailure(this ILogger logger, Exception exception, string operation);

    [LoggerMessage(11, LogLevel.Information, "Routing across this slice and {Peers} peers: {PeerList}")]
    public static partial void PeersConfigured(this ILogger logger, int peers, string peerList);

    [LoggerMessage(12, LogLevel.Debug, "Peer {Peer} unreachable: {Status} {Detail}")]
    public static partial void PeerUnreachable(this ILogger logger, string peer, string status, string detail);

    [LoggerMessage(13, LogLevel.Information, "Peer {Peer} joined: slice {Profile}, max batch {MaxBatch}, round trip {RoundTripMs} ms")]
    public static partial void PeerJoined(this ILogger logger, string peer, string profile, int maxBatch, double roundTripMs);

    [LoggerMessage(14, LogLevel.Warning, "Peer {Peer} is not routed to: {Reason}")]
    public static partial void PeerIgnored(this ILogger logger, string peer, string reason);

    [LoggerMessage(15, LogLevel.Warning, "Peer {Peer} lost: {Retried} forwarded requests retried elsewhere, {Failed} answered UNAVAILABLE")]
    public static partial void PeerLost(this ILogger logger, string peer, int retried, int failed);

    [LoggerMessage(16, LogLevel.Information, "Peer {Peer} discovered")]
    public static partial void PeerDiscovered(this ILogger logger, string peer);

    [LoggerMessage(17, LogLevel.Information, "Peer {Peer} left: discovery no longer finds it; {Retried} forwarded requests retried elsewhere, {Failed} answered UNAVAILABLE")]
    public static partial void PeerLeft(this ILogger logger, string peer, int retried, int failed);

    [LoggerMessage(18, LogLevel.Information, "Peer discovery: resolving {Name} every {RefreshMs} ms")]
    public static partial void PeerDiscoveryStarted(this ILogger logger, string name, double refreshMs);

    [LoggerMessage(19, LogLevel.Information, "Peer discovery: {Name} has no ready slice ({Reason}); keeping the last {Peers} peers")]
    public static partial void PeerDiscoveryFoundNone(this ILogger logger, string name, string reason, int peers);

    [LoggerMessage(20, LogLevel.Warning, "Peer discovery: resolving {Name} failed ({Reason}: {Detail}); keeping the last {Peers} peers")]
    public static partial void PeerDiscoveryFailed(this ILogger logger, string name, string reason, string detail, int peers);

    [LoggerMessage(21, LogLevel.Information, "Peer discovery: {Name} resolves again, to {Peers} peers besides this server")]
    public static partial void PeerDiscoveryRecovered(this ILogger logger, string name, int peers);

    [LoggerMessage(22, LogLevel.Information, "Model {Model} ready: request paths warmed up in {WarmUpMs} ms{Failures}")]
    public static partial void ModelReady(this ILogger logger, string model, double warmUpMs, string failures);

    [LoggerMessage(23, LogLevel.Warning, "Model {Model} warmed up at its longest lengths ({Limits}) at batch 1 only: batch {MaxBatch} would take about {PredictedMs} ms twice, over the {BudgetMs} ms budget; the first such batches will run slower")]
    public static partial void LongestWarmUpLeftOut(this ILogger logger, string model, string limits, int maxBatch, double predictedMs, double budgetMs);

    [LoggerMessage(24, LogLevel.Warning, "Peer {Peer} dropped from routing: {Reason}")]
    public static partial void PeerDropped(this ILogger logger, string peer, string reason);

    [LoggerMessage(25, LogLevel.Information, "Peer {Peer} routed to again")]
    public static partial void PeerRoutedAgain(this ILogger logger, string peer);
}
