using System.Collections.Concurrent;

namespace MigInfer.Operator.Tests.FakeApi;

/// <summary>Faults the fake API server injects: failed requests (500, 429, ...), added latency, dropped watches and events no watch delivers.</summary>
internal sealed class FaultInjector : IDisposable
{
    private readonly ConcurrentQueue<(int Code, Func<ApiRequest, bool> Match)> _failures = new();
    private CancellationTokenSource _watches = new();
    private volatile Func<StoredEvent, bool>? _hidden;

    /// <summary>Delay added to every request that is not a watch.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>The next <paramref name="count"/> requests that match fail with <paramref name="code"/>.</summary>
    public void FailNext(int count, int code, Func<ApiRequest, bool>? match = null)
    {
        for (var i = 0; i < count; i++)
        {
            _failures.Enqueue((code, match ?? (_ => true)));
        }
    }

    /// <summary>Cuts every open watch connection, as a load balancer or an API server restart does.</summary>
    public void DropWatches()
    {
        var old = Interlocked.Exchange(ref _watches, new CancellationTokenSource());
        old.Cancel();
        old.Dispose();
    }

    public CancellationToken WatchLifetime => _watches.Token;

    /// <summary>
    /// Matching events never reach a watch. A real API server loses no event, but a client can: after a cut watch and
    /// 410 Gone it relists, and a list cannot show the deletion of an object the client already dropped from its cache.
    /// </summary>
    public void HideFromWatches(Func<StoredEvent, bool> match) => _hidden = match;

    public bool Hidden(StoredEvent e) => _hidden?.Invoke(e) == true;

    public void Dispose() => _watches.Dispose();

    public int? TakeFailure(ApiRequest request)
    {
        if (_failures.TryPeek(out var next) && next.Match(request) && _failures.TryDequeue(out var taken))
        {
            return taken.Code;
        }

        return null;
    }
}
