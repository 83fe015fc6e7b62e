namespace MigInfer.Scheduling;

/// <summary>
/// One inference request as the scheduler sees it, plus its single completion. The library sets
/// expiries and rejections; the host sets <see cref="OutcomeKind.Completed"/> or
/// <see cref="OutcomeKind.Failed"/>. <see cref="TryComplete"/> succeeds exactly once, from any
/// thread, so a request can never be answered twice. The host awaits <see cref="Completion"/>
/// (continuations run asynchronously, never inline on the completing thread).
/// </summary>
public sealed class RequestHandle
{
    private readonly TaskCompletionSource<RequestOutcome> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="id">Host-assigned id, unique among live requests.</param>
    /// <param name="samples">Batch dimension of the request (≥ 1).</param>
    /// <param name="shapeKey">Compatibility key: only requests with equal keys share a batch.</param>
    /// <param name="arrival">Arrival instant.</param>
    /// <param name="deadline">Effective deadline (see <see cref="RouteRequest.Deadline"/>).</param>
    /// <param name="payload">The host's own request object (tensors, call context); the scheduler never touches it.</param>
    public RequestHandle(long id, int samples, ShapeKey shapeKey, TimeSpan arrival, TimeSpan deadline, object? payload = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        Id = id;
        Samples = samples;
        ShapeKey = shapeKey;
        Arrival = arrival;
        Deadline = deadline;
        Payload = payload;
    }

    public long Id { get; }

    public int Samples { get; }

    public ShapeKey ShapeKey { get; }

    public TimeSpan Arrival { get; }

    public TimeSpan Deadline { get; }

    public object? Payload { get; }

    /// <summary>Completes once with the request's outcome.</summary>
    public Task<RequestOutcome> Completion => completion.Task;

    /// <summary>True once an outcome is set.</summary>
    public bool IsCompleted => completion.Task.IsCompleted;

    /// <summary>The outcome once set (for metrics and logs without awaiting); null before.</summary>
    public RequestOutcome? Outcome => completion.Task.IsCompleted ? completion.Task.Result : null;

    /// <summary>Sets the outcome; false (and no effect) when one was already set.</summary>
    public bool TryComplete(RequestOutcome outcome) => completion.TrySetResult(outcome);

    public override string ToString() => $"request {Id} ({Samples} samples, deadline {Deadline})";
}
