namespace MigInfer.Scheduling;

/// <summary>
/// The pure batching decision of an idle slice executor: Triton's dynamic batcher with
/// LazyBatching's slack rule (HPCA 2021) at request granularity and MBS-style shape buckets.
/// </summary>
/// <remarks>
/// <para>1. A request that cannot meet its deadline even alone from now (or is larger than the max
/// batch) is expired.</para>
/// <para>2. The earliest-deadline request that remains is the head; its shape key selects the
/// group. In EDF order, requests of that group join while the batch stays within the max batch
/// size and its predicted latency (plus margin) still meets every member's deadline; a request
/// that does not fit is skipped, not a stopper. Growth stops at the largest preferred size
/// (or the max batch size).</para>
/// <para>3. As in Triton: a batch that reached a preferred size dispatches its largest preferred
/// prefix at once; with no queue delay, or once the oldest queued request has waited the delay,
/// or when the batch cannot grow, everything chosen dispatches. Otherwise it waits, but only
/// until the oldest request's delay runs out or until some request's slack would be gone
/// (the latest start that still meets the batch's and every queued request's deadline), and
/// never idles when that point has already come.</para>
/// </remarks>
public static class BatchPolicy
{
    /// <summary>Decides what the idle executor does at <paramref name="now"/>. Allocation-free.</summary>
    /// <param name="queue">Queued requests in earliest-deadline-first order.</param>
    /// <param name="now">Current instant.</param>
    /// <param name="model">Latency model.</param>
    /// <param name="profile">The slice's profile.</param>
    /// <param name="options">Validated batching options.</param>
    /// <param name="batch">Receives the ascending queue indices of the batch; length ≥ min(queue length, max batch size).</param>
    /// <param name="expired">Receives the ascending queue indices of expired requests; length ≥ queue length.</param>
    public static BatchDecision Decide(
        ReadOnlySpan<QueueEntry> queue,
        TimeSpan now,
        LatencyModel model,
        ProfileHandle profile,
        BatchingOptions options,
        Span<int> batch,
        Span<int> expired)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        if (expired.Length < queue.Length || batch.Length < Math.Min(queue.Length, options.MaxBatchSize))
        {
            throw new ArgumentException($"Index buffers too small for a queue of {queue.Length}: batch needs {Math.Min(queue.Length, options.MaxBatchSize)} (has {batch.Length}), expired needs {queue.Length} (has {expired.Length}).");
        }

        int expiredCount = 0;
        int head = -1;
        var oldestArrival = TimeSpan.MaxValue;
        var latestStart = TimeSpan.MaxValue;
        for (int i = 0; i < queue.Length; i++)
        {
            ref readonly var e = ref queue[i];
            var alone = e.Samples <= options.MaxBatchSize ? model.Predict(profile, e.Samples) : TimeSpan.MaxValue;
            if (alone == TimeSpan.MaxValue || now + alone > e.Deadline)
            {
                expired[expiredCount++] = i;
                continue;
            }

            if (head < 0)
            {
                head = i;
            }

            oldestArrival = Min(oldestArrival, e.Arrival);
            latestStart = Min(latestStart, e.Deadline - alone);
        }

        if (head < 0)
        {
            return new BatchDecision(BatchDecisionKind.Idle, 0, 0, TimeSpan.Zero, TimeSpan.Zero, expiredCount);
        }

        var key = queue[head].Shape;
        int growthLimit = options.GrowthLimit();
        int count = 0;
        int samples = 0;
        var latency = TimeSpan.Zero;
        var minDeadline = TimeSpan.MaxValue;
        int preferredCount = 0;
        int preferredSamples = 0;
        var preferredLatency = TimeSpan.Zero;

        // Every index before the head expired, so the expired cursor starts past them.
        int nextExpired = head;
        for (int i = head; i < queue.Length && samples < growthLimit; i++)
        {
            if (nextExpired < expiredCount && expired[nextExpired] == i)
            {
                nextExpired++;
                continue;
            }

            ref readonly var e = ref queue[i];
            int grown = samples + e.Samples;
            if (e.Shape != key || grown > options.MaxBatchSize)
            {
                continue;
            }

            var grownLatency = model.Predict(profile, grown);
            var grownDeadline = Min(minDeadline, e.Deadline);
            if (count > 0 && now + grownLatency + options.SafetyMargin > grownDeadline)
            {
                continue;
            }

            batch[count++] = i;
            samples = grown;
            latency = grownLatency;
            minDeadline = grownDeadline;
            if (options.IsPreferred(samples))
            {
                (preferredCount, preferredSamples, preferredLatency) = (count, samples, latency);
            }
        }

        bool hasDelay = options.MaxQueueDelay > TimeSpan.Zero;
        bool delayExceeded = hasDelay && now - oldestArrival >= options.MaxQueueDelay;
        if (preferredCount > 0 && !delayExceeded)
        {
            return Dispatch(preferredCount, preferredSamples, preferredLatency, expiredCount);
        }

        if (!hasDelay || delayExceeded || samples >= growthLimit)
        {
            return Dispatch(count, samples, latency, expiredCount);
        }

        var waitUntil = Min(oldestArrival + options.MaxQueueDelay, Min(latestStart, minDeadline - latency - options.SafetyMargin));
        return waitUntil <= now
            ? Dispatch(count, samples, latency, expiredCount)
            : new BatchDecision(BatchDecisionKind.Wait, 0, 0, TimeSpan.Zero, waitUntil, expiredCount);
    }

    private static BatchDecision Dispatch(int count, int samples, TimeSpan latency, int expiredCount) =>
        new(BatchDecisionKind.Dispatch, count, samples, latency, TimeSpan.Zero, expiredCount);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
