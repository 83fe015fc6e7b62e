using MigInfer.InferenceServer.Hosting;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Execution;

/// <summary>
/// Triton-style dynamic batcher over one session: requests wait in arrival order; when the session is
/// free the oldest request and the compatible ones behind it (same shape past the first dimension)
/// form a batch of at most the maximum batch size. With a queue delay the batch waits for more only
/// while the oldest request has waited less than the delay and waiting still leaves time for its SLO.
/// </summary>
internal sealed class DynamicBatcher : IInferenceScheduler
{
    private readonly IModelRunner _runner;
    private readonly BatcherOptions _options;
    private readonly ISchedulerObserver _observer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LinkedList<PendingRequest> _queue = new();
    private readonly SemaphoreSlim _changed = new(0, int.MaxValue);
    private readonly Task _worker;
    private TimeSpan _estimatedCompute;
    private bool _stopping;

    public DynamicBatcher(IModelRunner runner, BatcherOptions options, ISchedulerObserver observer, TimeProvider time, ILogger logger)
    {
        _runner = runner;
        _options = options;
        _observer = observer;
        _time = time;
        _logger = logger;
        _worker = Task.Run(RunAsync);
    }

    public int PendingCount
    {
        get
        {
            lock (_queue)
            {
                return _queue.Count;
            }
        }
    }

    public Task<IReadOnlyList<TensorData>> EnqueueAsync(ScheduledRequest request, CancellationToken cancellationToken)
    {
        var pending = new PendingRequest(request);
        lock (_queue)
        {
            if (_stopping)
            {
                throw new InferenceException(ErrorKind.Unavailable, "the server is draining and accepts no new requests");
            }

            if (_queue.Count >= _options.MaxQueueSize)
            {
                throw new InferenceException(ErrorKind.QueueFull, $"the queue is full ({_options.MaxQueueSize} requests waiting)");
            }

            pending.Node = _queue.AddLast(pending);
        }

        pending.Registration = cancellationToken.Register(() => Withdraw(pending));
        _changed.Release();
        return pending.Result;
    }

    public async Task StopAsync()
    {
        lock (_queue)
        {
            _stopping = true;
        }

        _changed.Release();
        await _worker.ConfigureAwait(false);
    }

    public void Dispose() => _changed.Dispose();

    private void Withdraw(PendingRequest pending)
    {
        lock (_queue)
        {
            if (pending.Node?.List is null)
            {
                return;
            }

            _queue.Remove(pending.Node);
        }

        pending.Fail(Expired(pending.Request, _time.GetUtcNow())
            ? new InferenceException(ErrorKind.DeadlineExceeded, "the deadline passed while the request was queued")
            : new InferenceException(ErrorKind.Cancelled, "the client cancelled the request"));
        _changed.Release();
    }

    private async Task RunAsync()
    {
        while (true)
        {
            var (batch, expired, wait, done) = Decide();
            foreach (var pending in expired)
            {
                pending.Fail(new InferenceException(ErrorKind.DeadlineExceeded, "the deadline passed before execution"));
            }

            if (done)
            {
                return;
            }

            if (batch is not null)
            {
                Execute(batch);
            }
            else
            {
                await _changed.WaitAsync(wait).ConfigureAwait(false);
            }
        }
    }

    private (List<PendingRequest>? Batch, List<PendingRequest> Expired, TimeSpan Wait, bool Done) Decide()
    {
        var now = _time.GetUtcNow();
        lock (_queue)
        {
            var expired = _queue.Where(p => Expired(p.Request, now)).ToList();
            expired.ForEach(p => _queue.Remove(p.Node!));
            if (_queue.Count == 0)
            {
                return (null, expired, Timeout.InfiniteTimeSpan, _stopping);
            }

            var head = _queue.First!.Value;
            var batch = Collect(head);
            var size = batch.Sum(p => p.Request.Inputs.BatchSize);
            var waitUntil = WaitUntil(head, batch);
            if (_stopping || size >= _runner.Signature.MaxBatchSize || now >= waitUntil)
            {
                batch.ForEach(p => _queue.Remove(p.Node!));
                return (batch, expired, TimeSpan.Zero, false);
            }

            return (null, expired, waitUntil - now, false);
        }
    }

    private List<PendingRequest> Collect(PendingRequest head)
    {
        List<PendingRequest> batch = [head];
        if (!_runner.Signature.Batched)
        {
            return batch;
        }

        var size = head.Request.Inputs.BatchSize;
        for (var node = _queue.First!.Next; node is not null && size < _runner.Signature.MaxBatchSize; node = node.Next)
        {
            var candidate = node.Value.Request.Inputs;
            if (size + candidate.BatchSize <= _runner.Signature.MaxBatchSize && BatchAssembler.Compatible(head.Request.Inputs, candidate))
            {
                batch.Add(node.Value);
                size += candidate.BatchSize;
            }
        }

        return batch;
    }

    private DateTimeOffset WaitUntil(PendingRequest head, List<PendingRequest> batch)
    {
        var until = head.Request.Arrival + _options.MaxQueueDelay;
        if (_options.Slo is { } slo)
        {
            until = Min(until, head.Request.Arrival + slo - _estimatedCompute);
        }

        foreach (var pending in batch)
        {
            if (pending.Request.Deadline is { } deadline)
            {
                until = Min(until, deadline - _estimatedCompute);
            }
        }

        return until;
    }

    private void Execute(List<PendingRequest> batch)
    {
        var started = _time.GetUtcNow();
        foreach (var pending in batch)
        {
            _observer.Dequeued(started - pending.Request.Arrival);
        }

        try
        {
            var members = batch.Select(p => p.Request.Inputs).ToArray();
            var outputs = _runner.Run(BatchAssembler.Join(members));
            var split = BatchAssembler.Split(outputs, members);
            var compute = _time.GetUtcNow() - started;
            _estimatedCompute = _estimatedCompute == TimeSpan.Zero ? compute : (_estimatedCompute * 0.8) + (compute * 0.2);
            _observer.Executed(batch.Count, members.Sum(m => m.BatchSize), compute);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Complete(split[i]);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.BatchFailed(ex, batch.Count);
            var failure = new InferenceException(ErrorKind.Internal, $"model execution failed: {ex.Message}", ex);
            batch.ForEach(p => p.Fail(failure));
        }
    }

    private static bool Expired(ScheduledRequest request, DateTimeOffset now) => request.Deadline is { } deadline && now >= deadline;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
