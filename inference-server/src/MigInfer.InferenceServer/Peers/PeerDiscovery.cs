using System.Net;
using System.Net.Sockets;
using MigInfer.InferenceServer.Hosting;

namespace MigInfer.InferenceServer.Peers;

/// <summary>
/// One round of peer discovery: resolve, drop this server (<see cref="PeerSelfFilter"/>), publish the rest.
/// A failed resolution keeps the last set; failing and recovering are logged once per change of state.
/// </summary>
internal sealed class PeerDiscovery(IPeerResolver resolver, DiscoveredPeers peers, string name, int grpcPort, IReadOnlySet<IPAddress> localAddresses, ILogger logger)
{
    /// <summary>Why the last resolution failed; null while it works.</summary>
    private string? _failure;

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<IPEndPoint> found;
        try
        {
            found = await resolver.ResolveAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Failed(ex);
            return;
        }

        var others = found
            .Where(e => !PeerSelfFilter.IsSelf(e, grpcPort, localAddresses))
            .Select(e => new DnsEndPoint(e.Address.ToString(), e.Port))
            .ToList();
        peers.Publish(others);
        if (_failure is not null)
        {
            _failure = null;
            logger.PeerDiscoveryRecovered(name, others.Count);
        }
    }

    private void Failed(Exception error)
    {
        var reason = error switch
        {
            SocketException socket => socket.SocketErrorCode.ToString(),
            TimeoutException => "TimedOut",
            _ => error.GetType().Name,
        };
        if (reason == _failure)
        {
            return;
        }

        _failure = reason;

        // The headless Service's name does not exist while none of the service's slices is ready (this one included).
        if (error is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData })
        {
            logger.PeerDiscoveryFoundNone(name, reason, peers.Current.Count);
        }
        else
        {
            logger.PeerDiscoveryFailed(name, reason, error.Message, peers.Current.Count);
        }
    }
}
