using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using MigInfer.InferenceServer.Peers;
using MigInfer.InferenceServer.Tests.Fixtures;

namespace MigInfer.InferenceServer.Tests.Peers;

/// <summary>One round of discovery at a time, with a resolver the test steers.</summary>
public sealed class PeerDiscoveryTests : IDisposable
{
    private const int GrpcPort = 8001;
    private static readonly IPEndPoint Self = new(IPAddress.Parse("10.0.0.1"), GrpcPort);
    private static readonly IPEndPoint A = new(IPAddress.Parse("10.0.0.2"), GrpcPort);
    private static readonly IPEndPoint B = new(IPAddress.Parse("10.0.0.3"), GrpcPort);

    private readonly SettablePeerResolver _resolver = new();
    private readonly DiscoveredPeers _peers = new();
    private readonly RecordingLoggerProvider _log = new();
    private readonly PeerDiscovery _discovery;

    public PeerDiscoveryTests()
    {
        _discovery = new PeerDiscovery(_resolver, _peers, "svc-peers:8001", GrpcPort, new HashSet<IPAddress> { Self.Address }, _log);
    }

    public void Dispose() => _log.Dispose();

    [Fact]
    public async Task EachChangeOfTheSet_IsPublishedOnceWithoutThisServer()
    {
        var published = new List<string[]>();
        _peers.Subscribe(set => published.Add(Ids(set)));

        foreach (IPEndPoint[] found in (IPEndPoint[][])[[Self], [Self, A], [A, Self], [Self, A, B], [B, A], [B, Self], [B]])
        {
            _resolver.Set(found);
            await _discovery.RefreshAsync(CancellationToken.None).WithTimeout();
        }

        // The first entry is the set at subscription.
        Assert.Equal([[], ["10.0.0.2:8001"], ["10.0.0.2:8001", "10.0.0.3:8001"], ["10.0.0.3:8001"]], published);
    }

    [Fact]
    public async Task FailedResolution_KeepsTheLastSetAndLogsOncePerChangeOfState()
    {
        _resolver.Set(Self, A);
        await RefreshAsync(1);
        _resolver.Fail(new SocketException((int)SocketError.HostNotFound));
        await RefreshAsync(3);

        Assert.Equal(["10.0.0.2:8001"], Ids(_peers.Current));

        _resolver.Fail(new TimeoutException());
        await RefreshAsync(3);
        _resolver.Set(Self, A, B);
        await RefreshAsync(3);

        Assert.Equal(["10.0.0.2:8001", "10.0.0.3:8001"], Ids(_peers.Current));
        Assert.Equal([(19, LogLevel.Information), (20, LogLevel.Warning), (21, LogLevel.Information)], _log.Events.Select(e => (e.Id, e.Level)));
        Assert.Equal(10, _resolver.Calls);
    }

    [Fact]
    public async Task EveryAddressIsThisServer_PublishesNoPeers()
    {
        _resolver.Set(A);
        await RefreshAsync(1);
        _resolver.Set(Self, new IPEndPoint(IPAddress.Loopback, GrpcPort));
        await RefreshAsync(1);

        Assert.Empty(_peers.Current);
    }

    private async Task RefreshAsync(int times)
    {
        for (var i = 0; i < times; i++)
        {
            await _discovery.RefreshAsync(CancellationToken.None).WithTimeout();
        }
    }

    private static string[] Ids(IReadOnlySet<DnsEndPoint> set) => [.. set.Select(PeerLink.IdOf).Order(StringComparer.Ordinal)];
}
