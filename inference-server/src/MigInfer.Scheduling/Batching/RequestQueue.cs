namespace MigInfer.Scheduling;

/// <summary>
/// Bounded earliest-deadline-first queue kept as a sorted array: batching scans it in order
/// without allocating, and inserts cost one binary search and a block move.
/// Equal deadlines keep arrival order.
/// </summary>
internal sealed class RequestQueue(int capacity)
{
    private readonly QueueEntry[] entries = new QueueEntry[capacity];
    private long queuedTicks;

    public int Count { get; private set; }

    public int Capacity => entries.Length;

    public ReadOnlySpan<QueueEntry> Entries => entries.AsSpan(0, Count);

    /// <summary>Sum of the entries' predicted solo latencies.</summary>
    public TimeSpan QueuedWork => TimeSpan.FromTicks(queuedTicks);

    public bool TryAdd(in QueueEntry entry)
    {
        if (Count == entries.Length)
        {
            return false;
        }

        int lo = 0;
        int hi = Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (entries[mid].Deadline <= entry.Deadline)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        Array.Copy(entries, lo, entries, lo + 1, Count - lo);
        entries[lo] = entry;
        Count++;
        queuedTicks += entry.PredictedAlone.Ticks;
        return true;
    }

    /// <summary>Removes the entries at the given positions; both index lists ascending.</summary>
    public void Remove(ReadOnlySpan<int> first, ReadOnlySpan<int> second)
    {
        int a = 0;
        int b = 0;
        int write = 0;
        for (int read = 0; read < Count; read++)
        {
            bool drop = false;
            if (a < first.Length && first[a] == read)
            {
                a++;
                drop = true;
            }

            if (b < second.Length && second[b] == read)
            {
                b++;
                drop = true;
            }

            if (drop)
            {
                queuedTicks -= entries[read].PredictedAlone.Ticks;
                continue;
            }

            entries[write++] = entries[read];
        }

        Array.Clear(entries, write, Count - write);
        Count = write;
    }

    /// <summary>Empties the queue into <paramref name="removed"/>.</summary>
    public void Drain(ICollection<RequestHandle> removed)
    {
        foreach (var entry in Entries)
        {
            removed.Add(entry.Request);
        }

        Array.Clear(entries, 0, Count);
        Count = 0;
        queuedTicks = 0;
    }
}
