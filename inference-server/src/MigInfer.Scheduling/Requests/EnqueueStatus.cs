namespace MigInfer.Scheduling;

/// <summary>Result of offering a request to a slice queue. Anything but <see cref="Accepted"/> has already completed the handle.</summary>
public enum EnqueueStatus
{
    /// <summary>Queued; the scheduler will dispatch or expire it.</summary>
    Accepted,

    /// <summary>The queue holds its maximum number of requests.</summary>
    QueueFull,

    /// <summary>The request alone exceeds the max batch size.</summary>
    BatchTooLarge,

    /// <summary>It cannot meet its deadline even if it ran alone right now.</summary>
    DeadlineUnreachable,

    /// <summary>The scheduler was stopped.</summary>
    Stopped,

    /// <summary>The handle already had an outcome (offered twice).</summary>
    AlreadyCompleted,
}
