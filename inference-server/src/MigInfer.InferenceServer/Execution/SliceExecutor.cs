using MigInfer.InferenceServer.Hosting;
using MigInfer.InferenceServer.Tensors;
using MigInfer.Scheduling;

namespace MigInfer.InferenceServer.Execution;

/// <summary>
/// Drives the Scheduling library's <see cref="SliceScheduler"/> (EDF queue, SLO-aware dynamic
/// batching, online latency model) over one model: calls into the scheduler are serialised by one
/// lock, one executor loop runs the batches it dispatches. A request's deadline is the earlier of
/// the client's deadline and arrival + SLO. Stopping refuses new requests and keeps executing until
/// the queue is empty, so every accepted request is answered.
/// </summary>
internal sealed class SliceExecutor : IInferenceScheduler
{
    /// <summary>The deadline of a request with neither a client deadline nor an SLO; far enough to never matter, small enough to add to.</summary>
    private static readonly TimeSpan NoDeadline = TimeSpan.FromDays(365 * 100);

    private readonly IModelRunner _runner;
    private readonly SliceScheduler _scheduler;
    private readonly TimeSpan? _slo;
    private readonly ISchedulerObserver _observer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _changed = new(0, int.MaxValue);
    private readonly long _origin;
    private readonly Task _worker;
    private long _nextId;
    private bool _stopping;

    public SliceExecutor(IModelRunner runner, SliceScheduler scheduler, LatencyModel latencyModel, TimeSpan? slo, ISchedulerObserver observer, TimeProvider time, ILogger logger)
    {
        LatencyModel = latencyModel;
        _runner = runner;
        _scheduler = scheduler;
        _slo = slo;
        _observer = observer;
        _time = time;
        _logger = logger;
        _origin = time.GetTimestamp();
        _worker = Task.Run(RunAsync);
    }

    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _scheduler.PendingCount;
            }
        }
    }

    public LatencyModel LatencyModel { get; }

    public int MaxBatchSize => _scheduler.Options.MaxBatchSize;

    public TimeSpan Now() => _time.GetElapsedTime(_origin);

    public TimeSpan DeadlineOf(DateTimeOffset? clientDeadline, TimeSpan arrival)
    {
        var deadline = arrival + (_slo ?? NoDeadline);
        if (clientDeadline is { } client)
        {
            var remaining = client - _time.GetUtcNow();
            deadline = Min(deadline, Now() + (remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero));
        }

        return deadline;
    }

    public TimeSpan Backlog(TimeSpan now)
    {
        lock (_gate)
        {
            return _scheduler.Backlog(now);
        }
    }

    public async Task<IReadOnlyList<TensorData>> EnqueueAsync(ScheduledRequest request, CancellationToken cancellationToken)
    {
        var now = Now();
        var deadline = DeadlineOf(request.Deadline, now);
        var work = new SliceWork(request);
        var handle = new RequestHandle(Interlocked.Increment(ref _nextId), request.Inputs.BatchSize, KeyOf(request), now, deadline, work);
        lock (_gate)
        {
            if (_stopping)
            {
                throw new InferenceException(ErrorKind.Unavailable, "the server is draining and accepts no new requests");
            }

            _scheduler.Enqueue(handle, now);
        }

        _changed.Release();
        RequestOutcome outcome;
        try
        {
            outcome = await handle.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new InferenceException(ErrorKind.Cancelled, "the request was cancelled or its deadline passed before it was answered");
        }

        return outcome.Kind == OutcomeKind.Completed ? work.Outputs! : throw ToException(outcome);
    }

    public async Task StopAsync()
    {
        lock (_gate)
        {
            _stopping = true;
        }

        _changed.Release();
        await _worker.ConfigureAwait(false);
    }

    public void Dispose() => _changed.Dispose();

    /// <summary>
    /// Requests batch together when their shapes past the first dimension match, with the model's
    /// paddable axes compared by power-of-two length bucket (MBS), so padding stays under half a batch.
    /// </summary>
    private ShapeKey KeyOf(ScheduledRequest request)
    {
        var padding = _runner.Signature.Padding;
        var key = default(ShapeKey);
        var tensors = request.Inputs.Tensors;
        for (var i = 0; i < tensors.Count; i++)
        {
            var trailing = tensors[i].Shape.AsSpan(1);
            key = key.Combine(padding.IsEmpty ? ShapeKey.Of(trailing) : ShapeKey.OfBucketed(trailing, padding.TrailingAxes[i]));
        }

        return key;
    }

    private static InferenceException ToException(RequestOutcome outcome) => new(
        outcome.Reason switch
        {
            OutcomeReason.DeadlineExceeded or OutcomeReason.DeadlineUnreachable => ErrorKind.DeadlineExceeded,
            OutcomeReason.QueueFull or OutcomeReason.Shed => ErrorKind.QueueFull,
            OutcomeReason.BatchTooLarge => ErrorKind.InvalidArgument,
            OutcomeReason.Stopped or OutcomeReason.PeerLost => ErrorKind.Unavailable,
            _ => ErrorKind.Internal,
        },
        outcome.Message);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private async Task RunAsync()
    {
        var batch = new List<RequestHandle>();
        while (true)
        {
            BatchDecision decision;
            bool done;
            lock (_gate)
            {
                decision = _scheduler.NextBatch(Now(), batch);
                done = _stopping && decision.Kind == BatchDecisionKind.Idle;
            }

            if (decision.Kind == BatchDecisionKind.Dispatch)
            {
                Execute(batch);
                continue;
            }

            if (done)
            {
                return;
            }

            var wait = decision.Kind == BatchDecisionKind.Wait ? decision.WaitUntil - Now() : Timeout.InfiniteTimeSpan;
            if (wait != Timeout.InfiniteTimeSpan && wait <= TimeSpan.Zero)
            {
                continue;
            }

            await _changed.WaitAsync(wait).ConfigureAwait(false);
        }
    }

    private void Execute(List<RequestHandle> batch)
    {
        var started = Now();
        var works = batch.Select(h => (SliceWork)h.Payload!).ToArray();
        foreach (var handle in batch)
        {
            _observer.Dequeued(started - handle.Arrival);
            ((SliceWork)handle.Payload!).Request.OnStarted?.Invoke();
        }

        try
        {
            var members = works.Select(w => w.Request.Inputs).ToArray();
            var padding = _runner.Signature.Padding;
            var split = BatchAssembler.Split(_runner.Run(BatchAssembler.Join(members, padding)), members, padding);
            var elapsed = Now() - started;
            for (var i = 0; i < works.Length; i++)
            {
                works[i].Outputs = split[i];
            }

            _observer.Executed(batch.Count, members.Sum(m => m.BatchSize), elapsed);
            lock (_gate)
            {
                _scheduler.CompleteBatch(elapsed);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.BatchFailed(ex, batch.Count);
            lock (_gate)
            {
                _scheduler.FailBatch($"model execution failed: {ex.Message}");
            }
        }
    }

    /// <summary>The host's payload on a <see cref="RequestHandle"/>: the request and, once executed, its outputs.</summary>
    private sealed class SliceWork(ScheduledRequest request)
    {
        public ScheduledRequest Request { get; } = request;

        public IReadOnlyList<TensorData>? Outputs { get; set; }
    }
}
