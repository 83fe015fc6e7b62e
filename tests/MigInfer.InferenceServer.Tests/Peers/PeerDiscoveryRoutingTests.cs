using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using MigInfer.InferenceServer.Configuration;
using MigInfer.InferenceServer.Hosting;
using MigInfer.InferenceServer.Peers;
using MigInfer.InferenceServer.Protocol;
using MigInfer.InferenceServer.Tests.Fixtures;
using MigInfer.OnnxModels;

namespace MigInfer.InferenceServer.Tests.Peers;

/// <summary>
/// A small slice that finds its peers through discovery (a resolver the test steers) and a large peer, both
/// real servers on loopback. Batch 8 fits the SLO only on the large slice, so where it runs shows the peer set.
/// </summary>
public sealed class PeerDiscoveryRoutingTests
{
    private const string Model = ModelZoo.TinyMlp;
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task PeerFoundThenFailingThenGone_RoutedToWhileFoundAndKeptWhileResolvingFails()
    {
        await using var large = await RunningServer.StartAsync(Options(PeerProfiles.Large));
        var resolver = new SettablePeerResolver();
        var log = new RecordingLoggerProvider();
        await using var small = await RunningServer.StartAsync(Options(PeerProfiles.Small) with { PeerDns = new DnsEndPoint("svc-peers.test", 1) }, s =>
        {
            s.AddSingleton<IPeerResolver>(resolver);
            log.AddTo(s);
        });

        Assert.Equal(StatusCode.ResourceExhausted, (await StatusOfAsync(small, 8)).StatusCode);

        // The small server's own endpoint is among the addresses, as in a pod, and is not a peer.
        resolver.Set(GrpcEndPoint(large), GrpcEndPoint(small));
        await Eventually.TrueAsync(() => small.App.Engine.AlivePeers == 1, TimeSpan.FromSeconds(10));
        Assert.Equal(PeerProfiles.Large, await ProfileOfAsync(small, 8));

        resolver.Fail(new SocketException((int)SocketError.TryAgain));
        var calls = resolver.Calls;
        await Eventually.TrueAsync(() => resolver.Calls >= calls + 5, TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => small.App.Engine.AlivePeers == 1, TimeSpan.FromSeconds(10));
        Assert.Equal(PeerProfiles.Large, await ProfileOfAsync(small, 8));

        resolver.Set(GrpcEndPoint(small));
        await Eventually.TrueAsync(() => small.App.Engine.AlivePeers == 0, TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(async () => await PeersAliveMetricAsync(small) == 0, TimeSpan.FromSeconds(10));
        Assert.Equal(StatusCode.ResourceExhausted, (await StatusOfAsync(small, 8)).StatusCode);
        Assert.Equal(PeerProfiles.Small, await ProfileOfAsync(small, 1));

        // Dozens of refreshes found the peer; it was linked once and removed once.
        Assert.Equal((1, 1, 1, 1), (log.Count(16), log.Count(17), log.Count(20), log.Count(21)));
    }

    [Fact]
    public async Task PeerLeavesHoldingForwards_StartedOnesUnavailableOthersRoutedAgain()
    {
        // Fake large peers that hold every forward: one says it started them, one does not. A 2 s objective is
        // still out of the small slice's reach for batch 8 (4 s).
        var ports = PeerProfiles.FreePorts(2);
        await using var starting = await FakePeer.StartAsync(ports[0], PeerProfiles.Large, startsForwards: true);
        await using var queueing = await FakePeer.StartAsync(ports[1], PeerProfiles.Large, startsForwards: false);
        var resolver = new SettablePeerResolver();
        resolver.Set(new IPEndPoint(IPAddress.Loopback, ports[0]));
        var options = Options(PeerProfiles.Small) with { PeerDns = new DnsEndPoint("svc-peers.test", 1), Slo = TimeSpan.FromSeconds(2) };
        var log = new RecordingLoggerProvider();
        await using var small = await RunningServer.StartAsync(options, s =>
        {
            s.AddSingleton<IPeerResolver>(resolver);
            log.AddTo(s);
        });
        await Eventually.TrueAsync(() => small.App.Engine.AlivePeers == 1, TimeSpan.FromSeconds(10));

        var started = StatusOfAsync(small, 8);
        await starting.Received.WithTimeout();
        await Task.Delay(300);
        resolver.Set(new IPEndPoint(IPAddress.Loopback, ports[1]));
        var status = await started.WithTimeout();

        // Normally "left the service"; on a machine so busy the peer's reports stall for the liveness window,
        // the sweep may take it first ("stopped reporting"). Either way one answer, and not a retry.
        Assert.Equal(StatusCode.Unavailable, status.StatusCode);
        Assert.Contains("after it started the request", status.Detail, StringComparison.Ordinal);

        // When the sweep answered first, the starting peer may be alive again (its reports resumed) until discovery
        // removes it: only after that is the one alive peer the queueing one.
        await Eventually.TrueAsync(() => log.Count(17) == 1, TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => small.App.Engine.AlivePeers == 1, TimeSpan.FromSeconds(10));
        Task<Status>[] queued = [.. Enumerable.Range(0, 3).Select(_ => StatusOfAsync(small, 8))];
        await Eventually.TrueAsync(async () => await ForwardedMetricAsync(small) == 4, TimeSpan.FromSeconds(10));
        resolver.Set();
        var statuses = await Task.WhenAll(queued).WithTimeout();

        // Routed again, to the small slice, the only one left, which cannot finish them in time: shed, or
        // DEADLINE_EXCEEDED if this machine was slow enough for the deadline to pass first. Never UNAVAILABLE.
        Assert.All(statuses, s => Assert.Contains(s.StatusCode, (StatusCode[])[StatusCode.ResourceExhausted, StatusCode.DeadlineExceeded]));
        await Eventually.TrueAsync(() => small.App.Engine.AlivePeers == 0, TimeSpan.FromSeconds(10));
    }

    private static ServerOptions Options(string profile) => RunningServer.OptionsFor(Model) with
    {
        SliceProfile = profile,
        ProfileFile = PeerProfiles.WriteFile(),
        Slo = PeerProfiles.Slo,
        PeerRefresh = Refresh,
    };

    private static IPEndPoint GrpcEndPoint(RunningServer server) => server.App.Listeners.EndPoint(ListenerKind.Grpc);

    private static ModelInferRequest Request(int batch) =>
        Requests.Fp32(Model, "input", [.. Enumerable.Range(0, batch * 4).Select(i => (float)i)], [batch, 4], raw: false);

    private static async Task<string> ProfileOfAsync(RunningServer server, int batch)
    {
        var response = await server.Grpc.ModelInferAsync(Request(batch)).ResponseAsync.WithTimeout();
        return response.Parameters["miginfer.slice_profile"].StringParam;
    }

    private static async Task<Status> StatusOfAsync(RunningServer server, int batch)
    {
        try
        {
            await server.Grpc.ModelInferAsync(Request(batch)).ResponseAsync.WithTimeout();
            return Status.DefaultSuccess;
        }
        catch (RpcException ex)
        {
            return ex.Status;
        }
    }

    private static Task<double> PeersAliveMetricAsync(RunningServer server) => MetricAsync(server, "miginfer_peers_alive{");

    private static Task<double> ForwardedMetricAsync(RunningServer server) => MetricAsync(server, "miginfer_routing_decisions_total{", "decision=\"forwarded\"");

    private static async Task<double> MetricAsync(RunningServer server, string prefix, string label = "")
    {
        var text = await server.Metrics.GetStringAsync(new Uri("/metrics", UriKind.Relative)).WithTimeout();
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
