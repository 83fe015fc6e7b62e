using System.Threading.Channels;

namespace MigInfer.Operator.Controllers;

/// <summary>
/// client-go's rate-limited work queue: a key is queued at most once, never handed to two workers at
/// once (a key added while in process is queued again when done), may be added after a delay, and
/// retried with per-key exponential backoff and jitter until forgotten.
/// </summary>
internal sealed class WorkQueue(Backoff backoff, TimeProvider time) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Channel<string> _ready = Channel.CreateUnbounded<string>();
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> _processing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset Due, ITimer Timer)> _delayed = new(StringComparer.Ordinal);
    private readonly Random _random = new();

    /// <summary>Keys waiting to be processed (not counting delayed ones).</summary>
    public int Depth
    {
        get { lock (_lock) { return _dirty.Count; } }
    }

    public void Add(string key)
    {
        lock (_lock)
        {
            if (_delayed.Remove(key, out var pending))
            {
                pending.Timer.Dispose();
            }

            if (!_dirty.Add(key) || _processing.Contains(key))
            {
                return;
            }

            _ready.Writer.TryWrite(key);
        }
    }

    /// <summary>Adds the key after <paramref name="delay"/>; an earlier pending time for the same key wins.</summary>
    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (_lock)
        {
            var due = time.GetUtcNow() + delay;
            if (_delayed.TryGetValue(key, out var pending))
            {
                if (pending.Due <= due)
                {
                    return;
                }

                pending.Timer.Dispose();
            }

            _delayed[key] = (due, time.CreateTimer(_ => Fire(key, due), null, delay, Timeout.InfiniteTimeSpan));
        }
    }

    public void AddRateLimited(string key)
    {
        int attempt;
        lock (_lock)
        {
            attempt = _failures.GetValueOrDefault(key);
            _failures[key] = attempt + 1;
        }

        AddAfter(key, backoff.Delay(attempt, _random));
    }

    public void Forget(string key)
    {
        lock (_lock)
        {
            _failures.Remove(key);
        }
    }

    public int Failures(string key)
    {
        lock (_lock)
        {
            return _failures.GetValueOrDefault(key);
        }
    }

    public async Task<string> GetAsync(CancellationToken cancel)
    {
        while (true)
        {
            var key = await _ready.Reader.ReadAsync(cancel);
            lock (_lock)
            {
                if (_dirty.Remove(key))
                {
                    _processing.Add(key);
                    return key;
                }
            }
        }
    }

    public void Done(string key)
    {
        lock (_lock)
        {
            _processing.Remove(key);
            if (_dirty.Contains(key))
            {
                _ready.Writer.TryWrite(key);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var (_, timer) in _delayed.Values)
            {
                timer.Dispose();
            }

            _delayed.Clear();
        }
    }

    private void Fire(string key, DateTimeOffset due)
    {
        lock (_lock)
        {
            if (!_delayed.TryGetValue(key, out var pending) || pending.Due != due)
            {
                return;
            }

            _delayed.Remove(key);
            pending.Timer.Dispose();
        }

        Add(key);
    }
}
