using System.Net;
using MigInfer.InferenceServer.Configuration;
using MigInfer.InferenceServer.Execution;
using MigInfer.InferenceServer.Hosting;
using MigInfer.InferenceServer.Observability;
using MigInfer.InferenceServer.Protocol.Peer;
using MigInfer.Scheduling;

namespace MigInfer.InferenceServer.Peers;

/// <summary>
/// The peers of one <see cref="ServiceRouter"/>: a link to each static peer and to each peer discovery finds.
/// A peer's slice joins the ELSA router when it says Hello and is routed to while it reports; a peer that stops
/// reporting for the liveness window, or that discovery no longer finds, has its forwards answered (retried
/// elsewhere when never started, else UNAVAILABLE). Every call into the ELSA router holds the router's gate.
/// </summary>
internal sealed class PeerMembership : IPeerEvents, IAsyncDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(25);

    private readonly Lock _gate;
    private readonly ElsaRouter _router;
    private readonly IInferenceScheduler _local;
    private readonly ServerOptions _options;
    private readonly ForwardTable _forwards;
    private readonly InferenceMetrics _metrics;
    private readonly ILogger _logger;
    private readonly DiscoveredPeers _discovered;
    private readonly Action<IReadOnlySet<DnsEndPoint>> _onDiscovered;

    /// <summary>One change of the peer set at a time; routing never waits for it.</summary>
    private readonly Lock _updates = new();
    private readonly HashSet<string> _joined = [];

    /// <summary>The peers routable at the last sweep, and those that were and then were not; touched by the sweep only.</summary>
    private readonly HashSet<string> _routable = [];
    private readonly HashSet<string> _dropped = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _leaving = [];

    /// <summary>The links, under the gate: replaced as a whole when the set changes, never changed in place.</summary>
    private PeerLink[] _links = [];
    private Task? _sweep;
    private bool _disposed;

    /// <param name="router">The ELSA router the peers' slices join.</param>
    /// <param name="gate">The lock every use of <paramref name="router"/> holds.</param>
    /// <param name="local">This slice's scheduler: the clock and the latency table.</param>
    /// <param name="options">The static peers and the served model.</param>
    /// <param name="discovered">Discovery's peers, followed from now on.</param>
    /// <param name="forwards">The router's unanswered forwards.</param>
    /// <param name="metrics">For the alive peers gauge.</param>
    /// <param name="logger">For peers joining, leaving and lost.</param>
    public PeerMembership(ElsaRouter router, Lock gate, IInferenceScheduler local, ServerOptions options, DiscoveredPeers discovered, ForwardTable forwards, InferenceMetrics metrics, ILogger logger)
    {
        _router = router;
        _gate = gate;
        _local = local;
        _options = options;
        _forwards = forwards;
        _metrics = metrics;
        _logger = logger;
        if (options.Peers.Count > 0)
        {
            logger.PeersConfigured(options.Peers.Count, string.Join(',', options.Peers.Select(PeerLink.IdOf)));
        }

        // Links the static peers and those discovered so far, then follows discovery.
        _discovered = discovered;
        _onDiscovered = UpdatePeers;
        discovered.Subscribe(_onDiscovered);
    }

    /// <summary>Peers the router can send requests to: reported within the liveness window, ready, connected.</summary>
    public int AlivePeers
    {
        get
        {
            lock (_gate)
            {
                return CountAlive(_local.Now());
            }
        }
    }

    /// <summary>
    /// Makes the peers the static list plus <paramref name="discovered"/>: links each new endpoint and removes
    /// the links whose endpoint left. A removed peer's slice leaves the router at once, and the forwards it
    /// held are answered as a lost peer's are.
    /// </summary>
    public void UpdatePeers(IReadOnlySet<DnsEndPoint> discovered)
    {
        lock (_updates)
        {
            if (_disposed)
            {
                return;
            }

            var current = Volatile.Read(ref _links);
            var diff = PeerSetDiff.Between(current.Select(l => l.Id), _options.Peers.Concat(discovered));
            if (diff.IsEmpty)
            {
                return;
            }

            PeerLink[] added = [.. diff.Added.Select(e => new PeerLink(e, _options.ModelName, this, _logger))];
            PeerLink[] removed = [.. current.Where(l => diff.Removed.Contains(l.Id))];
            var notStarted = new List<ForwardRecord>();
            var started = new List<ForwardRecord>();
            lock (_gate)
            {
                foreach (var link in removed)
                {
                    _router.RemoveSlice(link.Id, notStarted, started);
                    _joined.Remove(link.Id);
                }

                Volatile.Write(ref _links, [.. current.Except(removed), .. added]);
                _sweep ??= Task.Run(SweepAsync);
            }

            foreach (var link in added)
            {
                if (!_options.Peers.Any(p => PeerLink.IdOf(p) == link.Id))
                {
                    _logger.PeerDiscovered(link.Id);
                }

                link.Start(_stop.Token);
            }

            _leaving.RemoveAll(t => t.IsCompleted);
            foreach (var link in removed)
            {
                _logger.PeerLeft(link.Id, notStarted.Count(r => r.PeerId == link.Id), started.Count(r => r.PeerId == link.Id));
                _leaving.Add(link.DisposeAsync().AsTask());
            }

            _forwards.AnswerLost(notStarted, started, "left the service");
        }
    }

    /// <summary>The link of a peer slice the ELSA router knows. Under the gate; a loop, not LINQ, since routing calls it.</summary>
    public PeerLink LinkOf(string id)
    {
        foreach (var link in _links)
        {
            if (link.Id == id)
            {
                return link;
            }
        }

        throw new InvalidOperationException($"peer slice '{id}' is routed to but has no link");
    }

    /// <summary>Stops following discovery and the peers, and cancels the calls of forwards still unanswered.</summary>
    public async ValueTask DisposeAsync()
    {
        _discovered.Unsubscribe(_onDiscovered);
        Task[] pending;
        lock (_updates)
        {
            _disposed = true;
            pending = [.. _leaving, _sweep ?? Task.CompletedTask];
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(pending).ConfigureAwait(false);
        _forwards.CancelAll();
        foreach (var link in Volatile.Read(ref _links))
        {
            await link.DisposeAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    void IPeerEvents.PeerGreeted(PeerLink link, HelloResponse hello, TimeSpan roundTrip)
    {
        string? problem = null;
        bool joined = false;
        var transfer = roundTrip / 2;
        lock (_gate)
        {
            if (!IsCurrent(link))
            {
                return;
            }

            if (hello.ModelName != _options.ModelName)
            {
                problem = $"it serves model '{hello.ModelName}', not '{_options.ModelName}'";
            }
            else if (_joined.Contains(link.Id))
            {
                _router.SetTransfer(link.Id, transfer);
            }
            else if (!_local.LatencyModel.TryResolve(hello.SliceProfile, out _))
            {
                problem = $"its slice profile '{hello.SliceProfile}' is not in the latency table (give --profile-file with every profile of the service)";
            }
            else
            {
                _router.AddPeerSlice(link.Id, hello.SliceProfile, Math.Max(1, hello.MaxBatchSize), transfer, ServiceRouter.ComputeSizeOf(hello.SliceProfile));
                _joined.Add(link.Id);
                joined = true;
            }
        }

        if (problem is not null)
        {
            _logger.PeerIgnored(link.Id, problem);
        }
        else if (joined)
        {
            _logger.PeerJoined(link.Id, hello.SliceProfile, hello.MaxBatchSize, roundTrip.TotalMilliseconds);
        }
    }

    void IPeerEvents.PeerReported(PeerLink link, BacklogReport report)
    {
        var now = _local.Now();
        lock (_gate)
        {
            if (IsCurrent(link) && _router.ReportBacklog(link.Id, TimeSpan.FromMicroseconds(report.BacklogUs), now))
            {
                _router.SetReady(link.Id, report.Ready);
            }
        }
    }

    void IPeerEvents.PeerDisconnected(PeerLink link)
    {
        lock (_gate)
        {
            if (IsCurrent(link))
            {
                _router.SetReady(link.Id, false);
            }
        }
    }

    /// <summary>Whether <paramref name="link"/> is still one of the peers (a removed link may be finishing a call). Under the gate.</summary>
    private bool IsCurrent(PeerLink link) => Array.IndexOf(_links, link) >= 0;

    /// <summary>
    /// The current peers that stopped being routable since the last sweep, with why, and those that are routable again
    /// after that (reason null). A peer's first time routable (it joined) and a removed peer (it left) are logged where
    /// they happen. Under the gate.
    /// </summary>
    private List<(string Peer, string? Reason)> RoutableChanges(TimeSpan now)
    {
        var changes = new List<(string, string?)>();
        foreach (var link in _links)
        {
            var routable = _router.IsPeerRoutable(link.Id, now);
            if (routable && _routable.Add(link.Id) && _dropped.Remove(link.Id))
            {
                changes.Add((link.Id, null));
            }
            else if (!routable && _routable.Remove(link.Id))
            {
                _dropped.Add(link.Id);
                changes.Add((link.Id, _router.PeerSilentFor(link.Id, now) is { } silent
                    ? $"no backlog report for {silent.TotalMilliseconds:0} ms"
                    : "not ready: draining, or its connection failed"));
            }
        }

        _routable.IntersectWith(_links.Select(l => l.Id));
        _dropped.IntersectWith(_links.Select(l => l.Id));
        return changes;
    }

    /// <summary>Peers routable at <paramref name="now"/>. Under the gate.</summary>
    private int CountAlive(TimeSpan now)
    {
        var alive = 0;
        foreach (var link in _links)
        {
            if (_router.IsPeerRoutable(link.Id, now))
            {
                alive++;
            }
        }

        return alive;
    }

    private async Task SweepAsync()
    {
        var notStarted = new List<ForwardRecord>();
        var started = new List<ForwardRecord>();
        using var timer = new PeriodicTimer(SweepInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                var now = _local.Now();
                int alive;
                List<(string Peer, string? Reason)> changes;
                lock (_gate)
                {
                    _router.CollectLostForwards(now, notStarted, started);
                    alive = CountAlive(now);
                    changes = RoutableChanges(now);
                }

                _metrics.PeersAlive(alive);
                foreach (var (peer, reason) in changes)
                {
                    if (reason is null)
                    {
                        _logger.PeerRoutedAgain(peer);
                    }
                    else
                    {
                        _logger.PeerDropped(peer, reason);
                    }
                }

                foreach (var group in notStarted.Concat(started).GroupBy(r => r.PeerId))
                {
                    _logger.PeerLost(group.Key, group.Count(r => !r.Started), group.Count(r => r.Started));
                }

                _forwards.AnswerLost(notStarted, started, "stopped reporting");
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
