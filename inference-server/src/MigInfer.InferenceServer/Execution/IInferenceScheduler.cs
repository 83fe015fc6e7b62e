using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Execution;

/// <summary>
/// The one seam between the protocol front ends and the model: how a validated request reaches the
/// ONNX Runtime session. Every request accepted by <see cref="EnqueueAsync"/> is answered exactly once.
/// </summary>
internal interface IInferenceScheduler : IDisposable
{
    /// <summary>Requests accepted and not yet taken into an execution.</summary>
    int PendingCount { get; }

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
