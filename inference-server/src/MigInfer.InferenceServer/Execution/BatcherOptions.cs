namespace MigInfer.InferenceServer.Execution;

/// <summary>Limits of the dynamic batcher, in Triton's terms.</summary>
/// <param name="MaxQueueSize">Requests waiting at most; more are refused as queue full.</param>
/// <param name="MaxQueueDelay">How long the oldest request may wait for a fuller batch; zero dispatches at once.</param>
/// <param name="Slo">The latency objective; a batch stops waiting once waiting longer would miss it.</param>
internal sealed record BatcherOptions(int MaxQueueSize, TimeSpan MaxQueueDelay, TimeSpan? Slo);
