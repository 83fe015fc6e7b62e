namespace MigInfer.Scheduling;

/// <summary>A queued request with the fields batching reads kept inline.</summary>
/// <param name="Request">The request.</param>
/// <param name="PredictedAlone">Its predicted execution time alone, fixed at enqueue; its share of the slice backlog.</param>
public readonly record struct QueueEntry(RequestHandle Request, TimeSpan PredictedAlone)
{
    public int Samples { get; } = Request.Samples;

    public ShapeKey Shape { get; } = Request.ShapeKey;

    public TimeSpan Arrival { get; } = Request.Arrival;

    public TimeSpan Deadline { get; } = Request.Deadline;
}
