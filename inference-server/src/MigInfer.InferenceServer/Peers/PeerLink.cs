using System.Diagnostics;
using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using MigInfer.InferenceServer.Hosting;
using MigInfer.InferenceServer.Protocol.Peer;

namespace MigInfer.InferenceServer.Peers;

/// <summary>
/// The connection to one peer server (from the static list or discovered): says Hello (learning the
/// peer's slice profile and maximum batch), then follows its backlog stream, reconnecting after any
/// failure, from <see cref="Start"/> until disposed. Every report reaches the router through
/// <see cref="IPeerEvents"/>; forwards use <see cref="Client"/>.
/// </summary>
internal sealed class PeerLink : IAsyncDisposable
{
    private const int HelloCount = 3;
    private const int RoundTripWindow = 5;

    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromMilliseconds(100);

    private readonly GrpcChannel _channel;
    private readonly IPeerEvents _events;
    private readonly string _modelName;
    private readonly ILogger _logger;
    private readonly Queue<TimeSpan> _roundTrips = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    public PeerLink(DnsEndPoint endPoint, string modelName, IPeerEvents events, ILogger logger)
    {
        Id = IdOf(endPoint);
        _modelName = modelName;
        _events = events;
        _logger = logger;
        _channel = GrpcChannel.ForAddress($"http://{Id}", new GrpcChannelOptions
        {
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                ConnectTimeout = TimeSpan.FromSeconds(1),
                KeepAlivePingDelay = TimeSpan.FromSeconds(1),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(1),
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            },
        });
        Client = new SlicePeer.SlicePeerClient(_channel);
    }

    /// <summary>The router's id of the peer's slice: its gRPC endpoint as configured or discovered.</summary>
    public string Id { get; }

    public SlicePeer.SlicePeerClient Client { get; }

    /// <summary>The id of the peer at <paramref name="endPoint"/>: <c>host:port</c>, an IPv6 address in brackets.</summary>
    public static string IdOf(DnsEndPoint endPoint) =>
        endPoint.Host.Contains(':', StringComparison.Ordinal) && !endPoint.Host.StartsWith('[')
            ? $"[{endPoint.Host}]:{endPoint.Port}"
            : $"{endPoint.Host}:{endPoint.Port}";

    /// <summary>Starts following the peer until this link is disposed or <paramref name="stopping"/> fires.</summary>
    public void Start(CancellationToken stopping)
    {
        var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, _stop.Token);
        _running = Task.Run(async () =>
        {
            using (linked)
            {
                await RunAsync(linked.Token).ConfigureAwait(false);
            }
        }, CancellationToken.None);
    }

    /// <summary>Stops following the peer and closes the connection (calls still running on it end).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(false);
        _channel.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                // The first call pays for connecting (and JIT); the fastest recent round trip is the transfer estimate.
                HelloResponse? hello = null;
                for (var i = 0; i < HelloCount; i++)
                {
                    hello = await HelloAsync(stopping).ConfigureAwait(false);
                }

                _events.PeerGreeted(this, hello!, FastestRecentRoundTrip());
                using var watching = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                var pinging = PingAsync(watching.Token);
                try
                {
                    using var watch = Client.Watch(new WatchRequest(), cancellationToken: stopping);
                    await foreach (var report in watch.ResponseStream.ReadAllAsync(stopping).ConfigureAwait(false))
                    {
                        _events.PeerReported(this, report);
                    }
                }
                finally
                {
                    await watching.CancelAsync().ConfigureAwait(false);
                    await pinging.ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (stopping.IsCancellationRequested && ex is RpcException or OperationCanceledException)
            {
                return;
            }
            catch (RpcException ex) when (!stopping.IsCancellationRequested)
            {
                _events.PeerDisconnected(this);
                _logger.PeerUnreachable(Id, ex.Status.StatusCode.ToString(), ex.Status.Detail);
            }

            try
            {
                await Task.Delay(ReconnectDelay, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<HelloResponse> HelloAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var hello = await Client.HelloAsync(new HelloRequest { ModelName = _modelName }, deadline: DateTime.UtcNow + HelloTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        lock (_roundTrips)
        {
            _roundTrips.Enqueue(elapsed);
            if (_roundTrips.Count > RoundTripWindow)
            {
                _roundTrips.Dequeue();
            }
        }

        return hello;
    }

    private TimeSpan FastestRecentRoundTrip()
    {
        lock (_roundTrips)
        {
            return _roundTrips.Min();
        }
    }

    /// <summary>Re-measures the round trip while the watch runs, so a slow first connection (a busy start) does not stick.</summary>
    private async Task PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(PingInterval, cancellationToken).ConfigureAwait(false);
                var hello = await HelloAsync(cancellationToken).ConfigureAwait(false);
                _events.PeerGreeted(this, hello, FastestRecentRoundTrip());
            }
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException)
        {
            // The watch notices a lost peer and reconnects; a failed ping only skips one estimate.
        }
    }
}
