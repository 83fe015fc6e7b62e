namespace MigInfer.Scheduling;

/// <summary>
/// The scheduler of one slice: bounded EDF queue, <see cref="BatchPolicy"/> decisions, running-batch
/// tracking for the exact local backlog, and online latency correction from measured batches.
/// Not thread-safe: the host serialises calls (see <see cref="ISliceScheduler"/>). Creates no threads
/// and reads no clock.
/// </summary>
public sealed class SliceScheduler : ISliceScheduler
{
    private readonly LatencyModel model;
    private readonly ProfileHandle profile;
    private readonly BatchingOptions options;
    private readonly RequestQueue queue;
    private readonly int[] batchIndices;
    private readonly int[] expiredIndices;
    private readonly List<RequestHandle> running;
    private int runningSamples;
    private TimeSpan runningStart;
    private TimeSpan runningPredicted;
    private bool stopped;

    /// <param name="model">Latency model, shared with the router.</param>
    /// <param name="profile">This slice's profile.</param>
    /// <param name="options">Batching options; validated here.</param>
    public SliceScheduler(LatencyModel model, ProfileHandle profile, BatchingOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        model.Curve(profile);
        this.model = model;
        this.profile = profile;
        this.options = options;
        queue = new RequestQueue(options.MaxQueueSize);
        batchIndices = new int[Math.Min(options.MaxQueueSize, options.MaxBatchSize)];
        expiredIndices = new int[options.MaxQueueSize];
        running = new List<RequestHandle>(Math.Min(options.MaxBatchSize, 1024));
    }

    public int PendingCount => queue.Count;

    public bool IsBusy { get; private set; }

    /// <summary>The batching options in force.</summary>
    public BatchingOptions Options => options;

    public EnqueueStatus Enqueue(RequestHandle request, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.IsCompleted)
        {
            return EnqueueStatus.AlreadyCompleted;
        }

        if (stopped)
        {
            return Reject(request, EnqueueStatus.Stopped, RequestOutcome.Rejected(OutcomeReason.Stopped, "The slice is stopping and accepts no new requests."));
        }

        if (request.Samples > options.MaxBatchSize)
        {
            return Reject(request, EnqueueStatus.BatchTooLarge, RequestOutcome.Rejected(
                OutcomeReason.BatchTooLarge,
                $"Request batch size {request.Samples} exceeds the slice's max batch size {options.MaxBatchSize}."));
        }

        var alone = model.Predict(profile, request.Samples);
        if (now + alone > request.Deadline)
        {
            return Reject(request, EnqueueStatus.DeadlineUnreachable, RequestOutcome.Expired(
                OutcomeReason.DeadlineUnreachable,
                $"Deadline cannot be met: {request.Samples} samples take about {alone.TotalMilliseconds:0.###} ms on {profile.Name}, {(request.Deadline - now).TotalMilliseconds:0.###} ms remain."));
        }

        if (!queue.TryAdd(new QueueEntry(request, alone)))
        {
            return Reject(request, EnqueueStatus.QueueFull, RequestOutcome.Rejected(
                OutcomeReason.QueueFull,
                $"The slice queue is full ({options.MaxQueueSize} requests)."));
        }

        return EnqueueStatus.Accepted;
    }

    public BatchDecision NextBatch(TimeSpan now, List<RequestHandle> batch, ICollection<RequestHandle>? expired = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (IsBusy)
        {
            throw new InvalidOperationException("A batch is still running; call CompleteBatch or FailBatch before asking for the next one.");
        }

        batch.Clear();
        var entries = queue.Entries;
        var decision = BatchPolicy.Decide(entries, now, model, profile, options, batchIndices, expiredIndices);
        for (int i = 0; i < decision.ExpiredCount; i++)
        {
            var request = entries[expiredIndices[i]].Request;
            request.TryComplete(RequestOutcome.Expired(
                OutcomeReason.DeadlineExceeded,
                $"Deadline passed in the queue of a {profile.Name} slice before the request could run."));
            expired?.Add(request);
        }

        int dispatched = decision.Kind == BatchDecisionKind.Dispatch ? decision.Count : 0;
        for (int i = 0; i < dispatched; i++)
        {
            var request = entries[batchIndices[i]].Request;
            batch.Add(request);
            running.Add(request);
        }

        if (dispatched > 0)
        {
            IsBusy = true;
            runningSamples = decision.Samples;
            runningStart = now;
            runningPredicted = decision.PredictedLatency;
        }

        queue.Remove(batchIndices.AsSpan(0, dispatched), expiredIndices.AsSpan(0, decision.ExpiredCount));
        return decision;
    }

    public void CompleteBatch(TimeSpan executionTime)
    {
        EnsureBusy();
        if (executionTime > TimeSpan.Zero)
        {
            model.Observe(profile, runningSamples, executionTime);
        }

        EndBatch(RequestOutcome.Completed);
    }

    public void FailBatch(string message)
    {
        EnsureBusy();
        EndBatch(RequestOutcome.Failed(OutcomeReason.ExecutionFailed, message));
    }

    public int Shutdown(string message)
    {
        stopped = true;
        var drained = new List<RequestHandle>(queue.Count);
        queue.Drain(drained);
        foreach (var request in drained)
        {
            request.TryComplete(RequestOutcome.Rejected(OutcomeReason.Stopped, message));
        }

        return drained.Count;
    }

    /// <summary>Exact backlog: predicted solo latencies of everything queued plus what remains of the running batch.</summary>
    public TimeSpan Backlog(TimeSpan now)
    {
        var remaining = IsBusy ? runningStart + runningPredicted - now : TimeSpan.Zero;
        return queue.QueuedWork + (remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
    }

    private static EnqueueStatus Reject(RequestHandle request, EnqueueStatus status, RequestOutcome outcome) =>
        request.TryComplete(outcome) ? status : EnqueueStatus.AlreadyCompleted;

    private void EnsureBusy()
    {
        if (!IsBusy)
        {
            throw new InvalidOperationException("No batch is running.");
        }
    }

    private void EndBatch(RequestOutcome outcome)
    {
        foreach (var request in running)
        {
            request.TryComplete(outcome);
        }

        running.Clear();
        IsBusy = false;
    }
}
