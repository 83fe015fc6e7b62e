using Grpc.Core;
using MigInfer.InferenceServer.Configuration;
using MigInfer.InferenceServer.Execution;
using MigInfer.InferenceServer.Grpc;
using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Observability;
using MigInfer.InferenceServer.Protocol.Peer;
using MigInfer.InferenceServer.Tensors;
using MigInfer.Scheduling;

namespace MigInfer.InferenceServer.Peers;

/// <summary>
/// The ELSA router of this server (DESIGN 5): candidates are the local slice (exact backlog from its
/// scheduler) and every peer, from the static list and from discovery (profile from Hello, backlog from
/// its reports plus what was sent since). A client request goes to the smallest slice that meets its
/// deadline with margin, late within the shed limit, or is shed (RESOURCE_EXHAUSTED); a forwarded request
/// runs here only. Forwards to a peer that stops reporting for the liveness window, or that discovery no
/// longer finds, are retried elsewhere when they never started and answered UNAVAILABLE when they had.
/// </summary>
internal sealed class ServiceRouter : IAsyncDisposable
{
    private const string LocalId = "local";
    private const int MaxAttempts = 3;

    /// <summary>Compute size of a slice whose profile names none (a whole GPU or a CPU): larger than any MIG slice.</summary>
    private const int WholeDeviceComputeSize = 8;

    /// <summary>
    /// A peer silent this long is dead. Reports come every 25 ms, so this is 36 missed reports, and
    /// with the sweep interval a dead peer is dropped within a second of its last report.
    /// </summary>
    private static readonly TimeSpan LivenessWindow = TimeSpan.FromMilliseconds(900);

    /// <summary>How long stopping waits for forwarded requests to be answered before cancelling them.</summary>
    private static readonly TimeSpan ForwardDrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Guards the ELSA router (shared with <see cref="PeerMembership"/>); routing holds it briefly.</summary>
    private readonly Lock _gate = new();
    private readonly ElsaRouter _router;
    private readonly IInferenceScheduler _local;
    private readonly ServerOptions _options;
    private readonly InferenceMetrics _metrics;
    private readonly ForwardTable _forwards = new();
    private readonly PeerMembership _peers;
    private int _disposed;

    public ServiceRouter(IInferenceScheduler local, ServerOptions options, DiscoveredPeers discovered, InferenceMetrics metrics, ILogger logger)
    {
        _local = local;
        _options = options;
        _metrics = metrics;
        _router = new ElsaRouter(local.LatencyModel, new RouterOptions { LivenessWindow = LivenessWindow });
        _router.AddLocalSlice(LocalId, options.SliceProfile, local.MaxBatchSize, local, ComputeSizeOf(options.SliceProfile));
        _peers = new PeerMembership(_router, _gate, local, options, discovered, _forwards, metrics, logger);
    }

    /// <summary>Peers the router can send requests to: reported within the liveness window, ready, connected.</summary>
    public int AlivePeers => _peers.AlivePeers;

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
        var route = RouteAsync(inputs, clientDeadline, new RouteRequest(inputs.BatchSize, arrival, deadline - arrival), forwarded, onStarted, cancellationToken);
        if (forwarded)
        {
            // Judged at the slice the client sent it to.
            return await route.ConfigureAwait(false);
        }

        try
        {
            var result = await route.ConfigureAwait(false);
            _metrics.Judged(_local.Now() > deadline ? SloOutcome.Late : SloOutcome.Met);
            return result;
        }
        catch (InferenceException ex) when (OutcomeOf(ex.Kind, _local.Now() > deadline) is { } outcome)
        {
            _metrics.Judged(outcome);
            throw;
        }
    }

    /// <summary>
    /// The outcome a failed client request counts as; null for the client's own doing (an invalid request, or a
    /// call it cancelled before the deadline), which the service's attainment does not judge.
    /// </summary>
    private static SloOutcome? OutcomeOf(ErrorKind error, bool pastDeadline) => error switch
    {
        ErrorKind.DeadlineExceeded => SloOutcome.Late,
        ErrorKind.Cancelled => pastDeadline ? SloOutcome.Late : null,
        ErrorKind.QueueFull => SloOutcome.Shed,
        ErrorKind.InvalidArgument or ErrorKind.NotFound or ErrorKind.MessageTooLarge => null,
        _ => SloOutcome.Failed,
    };

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

        await _peers.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The compute size routing uses for a slice profile.</summary>
    public static int ComputeSizeOf(string profile) =>
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
                    forward = _forwards.Add(_peers.LinkOf(decision.SliceId!));
                    _router.RecordForward(decision, forward.Id, now);
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
        var call = CallPeerAsync(forward.Link, forward, inputs, deadline);
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
                var message = new PeerInferRequest { Request = GrpcTensorMapper.ToModelInferRequest(_options.ModelName, _options.ModelVersion, inputs.Tensors, raw: true), DeadlineRemainingUs = (long)Math.Max(0, remaining.TotalMicroseconds) };
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
                            _forwards.TryTake(forward.Id);
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
            catch (ObjectDisposedException)
            {
                // The link was closed before the call began: the peer left the service (which answered this
                // forward already, so Fail does nothing) or this server is stopping.
                Fail(forward, StatusCode.Unavailable, $"peer {link.Id}: the connection was closed");
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

        _forwards.TryTake(forward.Id);
        if (retry)
        {
            forward.TryRetry();
        }
        else
        {
            forward.TryFail(new InferenceException(PeerMessages.KindOf(status), forward.Started && status == StatusCode.Unavailable ? $"{message} (the peer failed after it started the request)" : message));
        }
    }
}
