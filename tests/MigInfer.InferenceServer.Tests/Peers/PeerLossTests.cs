using System.Diagnostics;
using System.Net;
using Grpc.Core;
using MigInfer.InferenceServer.Tests.Fixtures;
using MigInfer.OnnxModels;

namespace MigInfer.InferenceServer.Tests.Peers;

/// <summary>A peer that stops reporting while it holds forwarded requests: each is answered exactly once; and the log says when and why a peer stops being routed to.</summary>
public sealed class PeerLossTests
{
    private const string Model = ModelZoo.TinyMlp;

    [Theory]
    [InlineData(false, StatusCode.OK)]
    [InlineData(true, StatusCode.Unavailable)]
    public async Task PeerFallsSilentHoldingAForward_RetriedIfNeverStartedElseUnavailable(bool started, StatusCode expected)
    {
        var ports = PeerProfiles.FreePorts(1);
        await using var peer = await FakePeer.StartAsync(ports[0], PeerProfiles.Small, startsForwards: started);
        var options = RunningServer.OptionsFor(Model) with
        {
            SliceProfile = PeerProfiles.Large,
            Peers = [new DnsEndPoint("127.0.0.1", ports[0])],
            ProfileFile = PeerProfiles.WriteFile(),
            Slo = TimeSpan.FromSeconds(10),
        };
        await using var server = await RunningServer.StartAsync(options);
        await Eventually.TrueAsync(() => server.App.Engine.AlivePeers == 1);

        var call = server.Grpc.ModelInferAsync(Requests.Fp32(Model, "input", [1, 2, 3, 4], [1, 4], raw: false)).ResponseAsync;
        await peer.Received.WithTimeout();
        peer.FallSilent();
        var clock = Stopwatch.StartNew();

        if (expected == StatusCode.OK)
        {
            var response = await call.WithTimeout();
            Assert.Equal(PeerProfiles.Large, response.Parameters["miginfer.slice_profile"].StringParam);
        }
        else
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => call.WithTimeout());
            Assert.Equal(expected, error.StatusCode);
            Assert.Contains("started", error.Status.Detail, StringComparison.Ordinal);
        }

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        Assert.Equal(0, server.App.Engine.AlivePeers);
    }

    [Fact]
    public async Task PeerNotReadyThenReadyThenSilent_IsLoggedDroppedWithWhy_AndRoutedToAgain()
    {
        var ports = PeerProfiles.FreePorts(1);
        await using var peer = await FakePeer.StartAsync(ports[0], PeerProfiles.Small, startsForwards: false);
        var log = new RecordingLoggerProvider();
        var options = RunningServer.OptionsFor(Model) with { SliceProfile = PeerProfiles.Large, Peers = [new DnsEndPoint("127.0.0.1", ports[0])], ProfileFile = PeerProfiles.WriteFile() };
        await using var server = await RunningServer.StartAsync(options, log.AddTo);

        // The gauge is set by the sweep, which logs the changes: once it says 1, the sweep has seen the peer routable.
        await Eventually.TrueAsync(async () => await server.MetricAsync("miginfer_peers_alive{") == 1);

        peer.Ready = false;
        await Eventually.TrueAsync(() => log.Count(24) == 1);
        peer.Ready = true;
        await Eventually.TrueAsync(() => log.Count(25) == 1);
        peer.FallSilent();
        await Eventually.TrueAsync(() => log.Count(24) == 2);

        var dropped = log.Events.Where(e => e.Id == 24).Select(e => e.Message).ToList();
        Assert.Equal($"Peer 127.0.0.1:{ports[0]} dropped from routing: not ready: draining, or its connection failed", dropped[0]);
        Assert.Matches($@"^Peer 127\.0\.0\.1:{ports[0]} dropped from routing: no backlog report for \d+ ms$", dropped[1]);
        Assert.Equal($"Peer 127.0.0.1:{ports[0]} routed to again", Assert.Single(log.Events, e => e.Id == 25).Message);
        Assert.Equal(0, server.App.Engine.AlivePeers);
    }
}
