using System.Diagnostics;
using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using MigInfer.InferenceServer.Hosting;
using MigInfer.InferenceServer.Protocol.Peer;

namespace MigInfer.InferenceServer.Peers;

/// <summary>
/// The connection to one peer server from the static list: says Hello (learning the peer's slice
/// profile and maximum batch), then follows its backlog stream, reconnecting after any failure.
/// Every report reaches the router through <see cref="IPeerEvents"/>; forwards use <see cref="Client"/>.
/// </summary>
internal sealed class PeerLink : IDisposable
{
    private const int HelloCount = 3;

    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromMilliseconds(100);

    private readonly GrpcChannel _channel;
    private readonly IPeerEvents _events;
    private readonly string _modelName;
    private readonly ILogger _logger;

    public PeerLink(DnsEndPoint endPoint, string modelName, IPeerEvents events, ILogger logger)
    {
        Id = $"{endPoint.Host}:{endPoint.Port}";
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

    /// <summary>The router's id of the peer's slice: its gRPC endpoint as configured.</summary>
    public string Id { get; }

    public SlicePeer.SlicePeerClient Client { get; }

    /// <summary>Connects and follows the peer until <paramref name="stopping"/> fires.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                // The first call pays for connecting (and JIT); the fastest of a few is the transfer estimate.
                HelloResponse? hello = null;
                var roundTrip = TimeSpan.MaxValue;
                for (var i = 0; i < HelloCount; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    hello = await Client.HelloAsync(new HelloRequest { ModelName = _modelName }, deadline: DateTime.UtcNow + HelloTimeout, cancellationToken: stopping).ConfigureAwait(false);
                    var elapsed = Stopwatch.GetElapsedTime(started);
                    roundTrip = elapsed < roundTrip ? elapsed : roundTrip;
                }

                _events.PeerGreeted(this, hello!, roundTrip);
                using var watch = Client.Watch(new WatchRequest(), cancellationToken: stopping);
                await foreach (var report in watch.ResponseStream.ReadAllAsync(stopping).ConfigureAwait(false))
                {
                    _events.PeerReported(this, report);
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

    public void Dispose() => _channel.Dispose();
}
