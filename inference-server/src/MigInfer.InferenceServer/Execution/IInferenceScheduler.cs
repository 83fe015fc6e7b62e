using MigInfer.InferenceServer.Tensors;
using MigInfer.Scheduling;

namespace MigInfer.InferenceServer.Execution;

/// <summary>
/// The one seam between the protocol front ends and the model: how a validated request reaches the
/// ONNX Runtime session. Every request accepted by <see cref="EnqueueAsync"/> is answered exactly once.
/// Its exact backlog (<see cref="IBacklogSource"/>) and clock are what the router reads for this slice.
/// </summary>
internal interface IInferenceScheduler : IBacklogSource, IDisposable
{
    /// <summary>Requests accepted and not yet taken into an execution.</summary>
    int PendingCount { get; }

    /// <summary>The latency model the slice's scheduler corrects online; it holds every profile of the service the server knows.</summary>
    LatencyModel LatencyModel { get; }

    /// <summary>Largest request, in samples, the slice runs.</summary>
    int MaxBatchSize { get; }

    /// <summary>The scheduler's monotonic clock: the time base of <see cref="IBacklogSource.Backlog"/> and <see cref="DeadlineOf"/>.</summary>
    TimeSpan Now();

    /// <summary>The effective deadline of a request arriving at <paramref name="arrival"/>: the earlier of the client's and arrival + SLO.</summary>
    TimeSpan DeadlineOf(DateTimeOffset? clientDeadline, TimeSpan arrival);

    /// <summary>
    /// Queues a request. The returned task completes once: with every model output for this request in
    /// model order, or with an <see cref="InferenceException"/> (queue full, draining, deadline passed,
    /// cancelled, execution failed). Cancelling <paramref name="cancellationToken"/> before execution
    /// starts removes the request; once it runs, the result is delivered regardless.
    /// </summary>
    Task<IReadOnlyList<TensorData>> EnqueueAsync(ScheduledRequest request, CancellationToken cancellationToken);

    /// <summary>Refuses new requests and completes when every accepted request has been answered; dispose after it.</summary>
    Task StopAsync();
}
