using MigInfer.InferenceServer.Protocol.Peer;

namespace MigInfer.InferenceServer.Peers;

/// <summary>What a <see cref="PeerLink"/> tells the router.</summary>
internal interface IPeerEvents
{
    /// <summary>The peer answered Hello; <paramref name="roundTrip"/> estimates the transfer time.</summary>
    void PeerGreeted(PeerLink link, HelloResponse hello, TimeSpan roundTrip);

    /// <summary>A backlog report arrived on the watch stream.</summary>
    void PeerReported(PeerLink link, BacklogReport report);

    /// <summary>The connection failed; the peer is not routed to until it reports again.</summary>
    void PeerDisconnected(PeerLink link);
}
