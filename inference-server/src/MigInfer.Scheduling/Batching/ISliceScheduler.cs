namespace MigInfer.Scheduling;

/// <summary>
/// The per-slice scheduler the host drives (Triton's scheduler shape). The host serialises calls
/// (one lock), runs the executor loop, and awaits <see cref="RequestHandle.Completion"/> per request:
/// <code>
/// lock: status = Enqueue(handle, now)                     // != Accepted: handle already answered
/// executor, when idle: lock: d = NextBatch(now, batch)
///   Dispatch → run batch outside the lock, write results, then lock: CompleteBatch / FailBatch
///   Wait     → sleep until d.WaitUntil or the next enqueue
///   Idle     → sleep until the next enqueue
/// </code>
/// Ownership: an accepted handle belongs to the scheduler until <see cref="NextBatch"/> hands it out
/// in a batch or answers it (expiry, <see cref="Shutdown"/>); the host then owns its completion.
/// </summary>
public interface ISliceScheduler : IBacklogSource
{
    /// <summary>Requests waiting in the queue.</summary>
    int PendingCount { get; }

    /// <summary>True between a dispatching <see cref="NextBatch"/> and <see cref="CompleteBatch"/>/<see cref="FailBatch"/>.</summary>
    bool IsBusy { get; }

    /// <summary>Offers a request; every status but <see cref="EnqueueStatus.Accepted"/> has already set the handle's outcome.</summary>
    EnqueueStatus Enqueue(RequestHandle request, TimeSpan now);

    /// <summary>
    /// Asks what the idle executor should do. Expired requests are answered (Expired) and, if
    /// <paramref name="expired"/> is given, added to it; a dispatched batch is written to
    /// <paramref name="batch"/> (cleared first) in EDF order.
    /// </summary>
    BatchDecision NextBatch(TimeSpan now, List<RequestHandle> batch, ICollection<RequestHandle>? expired = null);

    /// <summary>Ends the running batch successfully: feeds the latency model and completes every member not yet answered.</summary>
    void CompleteBatch(TimeSpan executionTime);

    /// <summary>Ends the running batch with a failure answered to every member not yet answered.</summary>
    void FailBatch(string message);

    /// <summary>Rejects everything queued (Stopped) and every later enqueue; the running batch still completes. Returns the number rejected.</summary>
    int Shutdown(string message);
}
