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

    [LoggerMessage(5, LogLevel.Information, "Model {Model} ready: {Inputs} inputs, {Outputs} outputs, batched {Batched}, max batch {MaxBatch}, warm-up {WarmUpMs} ms")]
    public static partial void ModelReady(this ILogger logger, string model, int inputs, int outputs, bool batched, int maxBatch, double warmUpMs);

    [LoggerMessage(6, LogLevel.Critical, "Model {Model} failed to load; stopping")]
    public static partial void ModelLoadFailed(this ILogger logger, Exception exception, string model);

    [LoggerMessage(7, LogLevel.Information, "Draining: refusing new requests, answering {Pending} queued")]
    public static partial void Draining(this ILogger logger, int pending);

    [LoggerMessage(8, LogLevel.Information, "Drained")]
    public static partial void Drained(this ILogger logger);

    [LoggerMessage(9, LogLevel.Error, "Batch of {Requests} requests failed in execution")]
    public static partial void BatchFailed(this ILogger logger, Exception exception, int requests);

    [LoggerMessage(10, LogLevel.Error, "Unexpected failure serving {Operation}")]
    public static partial void UnexpectedFailure(this ILogger logger, Exception exception, string operation);

    [LoggerMessage(11, LogLevel.Warning, "{Peers} peers configured; forwarding to peers is not part of this server yet, so every request executes on this slice")]
    public static partial void PeersNotRouted(this ILogger logger, int peers);
}
