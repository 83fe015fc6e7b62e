namespace MigInfer.Operator.Observability;

/// <summary>The operator's log lines, with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "{Kind} watch failed; retrying in {DelayMs:0} ms: {Error}")]
    public static partial void WatchFailed(this ILogger logger, string kind, double delayMs, string error);

    [LoggerMessage(2, LogLevel.Warning, "Reconcile of {Kind} {Key} failed ({Reason}), attempt {Attempt}; retrying with backoff")]
    public static partial void ReconcileFailed(this ILogger logger, Exception? error, string kind, string key, string reason, int attempt);

    [LoggerMessage(3, LogLevel.Information, "Leadership {State} by {Identity}")]
    public static partial void Leadership(this ILogger logger, string state, string identity);

    [LoggerMessage(4, LogLevel.Information, "Planned {Services} services on {Gpus} GPUs ({Used} used) in {SolveMs} ms, status {Status}, gap {Gap}")]
    public static partial void Planned(this ILogger logger, int services, int gpus, int used, long solveMs, string status, double gap);

    [LoggerMessage(5, LogLevel.Information, "Node {Node}: {Action}")]
    public static partial void RolloutStep(this ILogger logger, string node, string action);

    [LoggerMessage(6, LogLevel.Warning, "Node {Node} left out of planning: {Reason}: {Message}")]
    public static partial void NodeExcluded(this ILogger logger, string node, string reason, string message);

    [LoggerMessage(7, LogLevel.Warning, "Node {Node}: MIG reconfiguration failed: {Detail}")]
    public static partial void MigFailed(this ILogger logger, string node, string detail);

    [LoggerMessage(8, LogLevel.Information, "InferenceService {Key} cannot be served: {Reason}: {Message}")]
    public static partial void SpecProblem(this ILogger logger, string key, string reason, string message);

    [LoggerMessage(9, LogLevel.Warning, "Lease not released by {Identity} on stop; a successor waits for it to expire: {Error}")]
    public static partial void LeaseNotReleased(this ILogger logger, string identity, string error);

    [LoggerMessage(10, LogLevel.Debug, "Slice pod {Pod} did not answer GET /v2/slice; asking again at the next interval: {Error}")]
    public static partial void SliceProbeFailed(this ILogger logger, string pod, string error);

    [LoggerMessage(11, LogLevel.Warning, "Slice pod {Pod}: could not record its MIG device: {Error}")]
    public static partial void SliceDeviceNotRecorded(this ILogger logger, string pod, string error);
}
