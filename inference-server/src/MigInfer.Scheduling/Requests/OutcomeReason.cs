namespace MigInfer.Scheduling;

/// <summary>Why a request ended as it did; the comment names the gRPC status the host answers with.</summary>
public enum OutcomeReason
{
    /// <summary>Completed normally (OK).</summary>
    None,

    /// <summary>The slice queue was full (RESOURCE_EXHAUSTED).</summary>
    QueueFull,

    /// <summary>The request alone is larger than the slice's max batch size (INVALID_ARGUMENT).</summary>
    BatchTooLarge,

    /// <summary>Already unable to meet its deadline when it arrived (DEADLINE_EXCEEDED).</summary>
    DeadlineUnreachable,

    /// <summary>Waited in the queue until it could no longer meet its deadline (DEADLINE_EXCEEDED).</summary>
    DeadlineExceeded,

    /// <summary>Shed by the router under overload (RESOURCE_EXHAUSTED).</summary>
    Shed,

    /// <summary>The slice is stopping or draining (UNAVAILABLE).</summary>
    Stopped,

    /// <summary>The model execution failed (INTERNAL).</summary>
    ExecutionFailed,

    /// <summary>The peer it was forwarded to died after starting it (UNAVAILABLE).</summary>
    PeerLost,
}
