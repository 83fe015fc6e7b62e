using System.Collections.Concurrent;
using Grpc.Core;
using MigInfer.InferenceServer.Configuration;
using MigInfer.InferenceServer.Execution;
using MigInfer.InferenceServer.Hosting;
using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Observability;
using MigInfer.InferenceServer.Protocol.Peer;
using MigInfer.InferenceServer.Tensors;
using MigInfer.Scheduling;

namespace MigInfer.InferenceServer.Peers;

/// <summary>
/// The ELSA router of this server (DESIGN 5): candidates are the local slice (exact backlog from its
/// scheduler) and every peer from the static list (profile from Hello, backlog from its reports plus
/// what was sent since). A client request goes to the smallest slice that meets its deadline with
/// margin, late within the shed limit, or is shed (RESOURCE_EXHAUSTED); a forwarded request runs
/// here only. Forwards to a peer that stops reporting for the liveness window are retried
/// elsewhere when they never started and answered UNAVAILABLE when they had.
/// </summary>
internal sealed class ServiceRouter : IPeerEvents, IAsyncDisposable
{
    private const string LocalId = "local";
    private const int MaxAttempts = 3;

    /// <summary>Compute size of a slice whose profile names none (a whole GPU or a CPU): larger than any MIG slice.</summary>
    private const int WholeDeviceComputeSize = 8;

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// A peer silent this long is dead. Reports come every 25 ms, so this is 36 missed reports, and
    /// with the sweep interval a dead peer is dropped within a second of its last report.
    /// </summary>
    private static readonly TimeSpan LivenessWindow = TimeSpan.FromMilliseconds(900);

    /// <summary>How long stopping waits for forwarded requests to be answered before cancelling them.</summary>
    private static readonly TimeSpan ForwardDrainTimeout = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly ElsaRouter _router;
    private readonly IInferenceScheduler _local;
    private readonly ServerOptions _options;
    private readonly InferenceMetrics _metrics;
    private readonly ILogger _logger;
    private readonly PeerLink[] _links;
    private readonly HashSet<string> _joined = [];
    private readonly ConcurrentDictionary<long, PeerForward> _forwards = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _tasks;
    private long _nextForward;
    private int _disposed;

    public ServiceRouter(IInferenceScheduler local, ServerOptions options, InferenceMetrics metrics, ILogger logger)
    {
        _local = local;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _router = new ElsaRouter(local.LatencyModel, new RouterOptions { LivenessWindow = LivenessWindow });
        _router.AddLocalSlice(LocalId, options.SliceProfile, local.MaxBatchSize, local, ComputeSizeOf(options.SliceProfile));
        _links = [.. options.Peers.Select(p => new PeerLink(p, options.ModelName, this, logger))];
        _tasks = _links.Length == 0 ? [] : [.. _links.Select(l => Task.Run(() => l.RunAsync(_stop.Token))), Task.Run(SweepAsync)];
        if (_links.Length > 0)
        {
            logger.PeersConfigured(_links.Length, string.Join(',', _links.Select(l => l.Id)));
        }
    }

    /// <summary>Peers that reported within the liveness window.</summary>
    public int AlivePeers
    {
        get
        {
            lock (_gate)
            {
                var now = _local.Now();
                return _links.Count(l => _router.IsPeerAlive(l.Id, now));
            }
        }
    }

    /// <summary>This slice's backlog report for peers.</summary>
    public BacklogReport Report(bool ready) =>
        new() { BacklogUs = (long)_local.Backlog(_local.Now()).TotalMicroseconds, Ready = ready };

    /// <summary>
    /// Answers one request: routes it (a <paramref name="forwarded"/> one to this slice only), runs it
    /// here or at a peer, and retries elsewhere when a peer fails before starting it.
    /// </summary>
    public async Task<InferResult> InferAsync(ValidatedInputs inputs, DateTimeOffset? clientDeadline, bool forwarded, Action? onStarted, CancellationToken cancellationToken)
    {
        var arrival = _local.Now();
        var deadline = _local.DeadlineOf(clientDeadline, arrival);
        try
        {
            var result = await RouteAsync(inputs, clientDeadline, new RouteRequest(inputs.BatchSize, arrival, deadline - arrival), forwarded, onStarted, cancellationToken).ConfigureAwait(false);
            if (!forwarded && _local.Now() > deadline)
            {
                _metrics.SloMissed();
            }

            return result;
        }
        catch (InferenceException ex) when (!forwarded && ex.Kind == ErrorKind.DeadlineExceeded)
        {
            _metrics.SloMissed();
            throw;
        }
    }

    /// <summary>Waits (a bounded time) for forwarded requests to be answered, then stops following peers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!_forwards.IsEmpty && waited.Elapsed < ForwardDrainTimeout)
        {
            await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_tasks).ConfigureAwait(false);
        foreach (var forward in _forwards.Values)
        {
            forward.CancelCall();
        }

        foreach (var link in _links)
        {
            link.Dispose();
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
                _router.AddPeerSlice(link.Id, hello.SliceProfile, Math.Max(1, hello.MaxBatchSize), transfer, ComputeSizeOf(hello.SliceProfile));
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
            if (_router.ReportBacklog(link.Id, TimeSpan.FromMicroseconds(report.BacklogUs), now))
            {
                _router.SetReady(link.Id, report.Ready);
            }
        }
    }

    void IPeerEvents.PeerDisconnected(PeerLink link)
    {
        lock (_gate)
        {
            _router.SetReady(link.Id, false);
        }
    }

    private static int ComputeSizeOf(string profile) =>
        SliceProfiles.TryParseComputeSize(profile, out var size) ? size : WholeDeviceComputeSize;

    private async Task<InferResult> RouteAsync(ValidatedInputs inputs, DateTimeOffset? clientDeadline, RouteRequest request, bool forwarded, Action? onStarted, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var now = _local.Now();
            RouteDecision decision;
            PeerForward? forward = null;
            lock (_gate)
            {
                decision = forwarded ? _router.RouteLocalOnly(request, now) : _router.Route(request, now);
                if (decision.IsForward)
                {
                    forward = new PeerForward(decision.SliceId!, Interlocked.Increment(ref _nextForward));
                    _router.RecordForward(decision, forward.Id, now);
                    _forwards[forward.Id] = forward;
                }
            }

            // A deadline already past is not overload: the local scheduler answers DEADLINE_EXCEEDED.
            if (decision.Outcome == RouteOutcome.Shed && request.Deadline > now)
            {
                _metrics.Shed();
                if (!forwarded)
                {
                    _metrics.Routed(RoutingDecisionKind.Shed);
                }

                throw new InferenceException(ErrorKind.QueueFull, $"shed: no slice of the service can finish {request.Samples} samples by the deadline (the earliest would be {(decision.EstimatedFinish - decision.Deadline).TotalMilliseconds:0.###} ms late)");
            }

            if (forward is null)
            {
                // Routed here, or no slice can run the request at all: the local scheduler answers that (INVALID_ARGUMENT).
                if (!forwarded)
                {
                    _metrics.Routed(RoutingDecisionKind.Local);
                }

                var outputs = await _local.EnqueueAsync(new ScheduledRequest(inputs, clientDeadline, onStarted), cancellationToken).ConfigureAwait(false);
                return new InferResult(outputs, _options.SliceProfile);
            }

            _metrics.Routed(RoutingDecisionKind.Forwarded);
            var (result, error) = await ForwardAsync(forward, inputs, request.Deadline, cancellationToken).ConfigureAwait(false);
            if (result is not null)
            {
                return result;
            }

            if (error is not null)
            {
                throw error;
            }

            if (attempt >= MaxAttempts)
            {
                throw new InferenceException(ErrorKind.Unavailable, $"the request could not be delivered to a slice after {attempt} attempts (peers failed before starting it)");
            }
        }
    }

    private async Task<(InferResult? Result, InferenceException? Error)> ForwardAsync(PeerForward forward, ValidatedInputs inputs, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var link = _links.First(l => l.Id == forward.PeerId);
        var call = CallPeerAsync(link, forward, inputs, deadline);
        using (cancellationToken.Register(forward.CancelCall))
        {
            var outcome = await forward.Outcome.ConfigureAwait(false);
            await call.ConfigureAwait(false);
            return outcome;
        }
    }

    private async Task CallPeerAsync(PeerLink link, PeerForward forward, ValidatedInputs inputs, TimeSpan deadline)
    {
        await Task.Yield();
        using (forward)
        {
            try
            {
                var remaining = deadline - _local.Now();
                var message = new PeerInferRequest { Request = PeerMessages.ToRequest(inputs, _options.ModelName, _options.ModelVersion), DeadlineRemainingUs = (long)Math.Max(0, remaining.TotalMicroseconds) };
                using var call = link.Client.Infer(message, cancellationToken: forward.CallCancelled);
                await foreach (var e in call.ResponseStream.ReadAllAsync(forward.CallCancelled).ConfigureAwait(false))
                {
                    var now = _local.Now();
                    bool owned = false;
                    lock (_gate)
                    {
                        if (e.Backlog is { } report)
                        {
                            _router.ReportBacklog(link.Id, TimeSpan.FromMicroseconds(report.BacklogUs), now);
                        }

                        if (e.EventCase == PeerInferEvent.EventOneofCase.Started)
                        {
                            forward.MarkStarted();
                            _router.MarkForwardStarted(link.Id, forward.Id);
                        }
                        else if (e.EventCase == PeerInferEvent.EventOneofCase.Result)
                        {
                            owned = _router.CompleteForward(link.Id, forward.Id);
                        }
                    }

                    if (e.EventCase == PeerInferEvent.EventOneofCase.Result)
                    {
                        if (owned)
                        {
                            _forwards.TryRemove(forward.Id, out _);
                            forward.TrySucceed(PeerMessages.FromResponse(e.Result));
                        }

                        return;
                    }
                }

                Fail(forward, StatusCode.Unavailable, $"peer {link.Id} ended the call without an answer");
            }
            catch (RpcException ex)
            {
                Fail(forward, ex.StatusCode, $"peer {link.Id}: {ex.Status.Detail}");
            }
            catch (OperationCanceledException)
            {
                Fail(forward, StatusCode.Cancelled, "the request was cancelled");
            }
            catch (InferenceException ex)
            {
                Fail(forward, StatusCode.Internal, $"peer {link.Id} answered a response that cannot be read: {ex.Message}");
            }
        }
    }

    /// <summary>Answers a forward whose call failed, unless the liveness sweep already took it.</summary>
    private void Fail(PeerForward forward, StatusCode status, string message)
    {
        bool owned;
        var retry = status == StatusCode.Unavailable && !forward.Started;
        lock (_gate)
        {
            owned = _router.CompleteForward(forward.PeerId, forward.Id);
            if (owned && retry)
            {
                // Not routed to again until its next report says it is ready.
                _router.SetReady(forward.PeerId, false);
            }
        }

        if (!owned)
        {
            return;
        }

        _forwards.TryRemove(forward.Id, out _);
        if (retry)
        {
            forward.TryRetry();
        }
        else
        {
            forward.TryFail(new InferenceException(PeerMessages.KindOf(status), forward.Started && status == StatusCode.Unavailable ? $"{message} (the peer failed after it started the request)" : message));
        }
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
                lock (_gate)
                {
                    _router.CollectLostForwards(now, notStarted, started);
                    alive = _links.Count(l => _router.IsPeerAlive(l.Id, now));
                }

                _metrics.PeersAlive(alive);
                Answer(notStarted, started);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void Answer(List<ForwardRecord> notStarted, List<ForwardRecord> started)
    {
        foreach (var group in notStarted.Concat(started).GroupBy(r => r.PeerId))
        {
            _logger.PeerLost(group.Key, group.Count(r => !r.Started), group.Count(r => r.Started));
        }

        foreach (var record in notStarted.Concat(started))
        {
            if (_forwards.TryRemove(record.RequestId, out var forward))
            {
                if (record.Started)
                {
                    forward.TryFail(new InferenceException(ErrorKind.Unavailable, $"peer {record.PeerId} stopped reporting after it started the request"));
                }
                else
                {
                    forward.TryRetry();
                }

                forward.CancelCall();
            }
        }

        notStarted.Clear();
        started.Clear();
    }
}
