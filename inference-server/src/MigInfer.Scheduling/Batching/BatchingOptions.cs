namespace MigInfer.Scheduling;

/// <summary>
/// Dynamic-batching configuration of one slice, with Triton's names and meaning:
/// <c>max_batch_size</c>, <c>preferred_batch_size</c>, <c>max_queue_delay_microseconds</c>,
/// <c>max_queue_size</c>.
/// </summary>
public sealed record BatchingOptions
{
    /// <summary>Largest batch, in samples. 1 disables batching.</summary>
    public int MaxBatchSize { get; init; } = 32;

    /// <summary>How long the oldest queued request may wait for a fuller batch; zero dispatches at once.</summary>
    public TimeSpan MaxQueueDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Batch sizes (samples) that dispatch immediately once formed; each in 1..<see cref="MaxBatchSize"/>.</summary>
    public IReadOnlyList<int> PreferredBatchSizes { get; init; } = [];

    /// <summary>Most requests the queue holds; further requests are rejected with QueueFull.</summary>
    public int MaxQueueSize { get; init; } = 1024;

    /// <summary>Requests join a batch only if it still finishes this much before every member's deadline.</summary>
    public TimeSpan SafetyMargin { get; init; } = TimeSpan.Zero;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxQueueSize, 1, nameof(MaxQueueSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxQueueDelay, TimeSpan.Zero, nameof(MaxQueueDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(SafetyMargin, TimeSpan.Zero, nameof(SafetyMargin));
        ArgumentNullException.ThrowIfNull(PreferredBatchSizes, nameof(PreferredBatchSizes));
        for (int i = 0; i < PreferredBatchSizes.Count; i++)
        {
            int size = PreferredBatchSizes[i];
            if (size < 1 || size > MaxBatchSize)
            {
                throw new ArgumentOutOfRangeException(nameof(PreferredBatchSizes), size, $"Preferred batch size {size} is outside 1..{MaxBatchSize} (max batch size).");
            }
        }
    }

    /// <summary>The batch size at which the batcher stops growing a batch: the largest preferred size, else the max.</summary>
    internal int GrowthLimit()
    {
        int limit = 0;
        for (int i = 0; i < PreferredBatchSizes.Count; i++)
        {
            limit = Math.Max(limit, PreferredBatchSizes[i]);
        }

        return limit == 0 ? MaxBatchSize : limit;
    }

    internal bool IsPreferred(int samples)
    {
        for (int i = 0; i < PreferredBatchSizes.Count; i++)
        {
            if (PreferredBatchSizes[i] == samples)
            {
                return true;
            }
        }

        return false;
    }
}
