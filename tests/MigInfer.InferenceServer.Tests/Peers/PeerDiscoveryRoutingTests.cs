using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using MigInfer.InferenceServer.Configuration;
using MigInfer.InferenceServer.Execution;
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

        Assert.Equal(StatusCode.ResourceExhausted, await StatusOfAsync(small, 8));

        // The small server's own endpoint is among the addresses, as in a pod, and is not a peer.
        resolver.Set(GrpcEndPoint(large), GrpcEndPoint(small));
        await WaitUntilAsync(() => small.App.Engine.AlivePeers == 1, TimeSpan.FromSeconds(10));
        Assert.Equal(PeerProfiles.Large, await ProfileOfAsync(small, 8));

        resolver.Fail(new SocketException((int)SocketError.TryAgain));
        var calls = resolver.Calls;
        await WaitUntilAsync(() => resolver.Calls >= calls + 5, TimeSpan.FromSeconds(10));
        Assert.Equal(1, small.App.Engine.AlivePeers);
        Assert.Equal(PeerProfiles.Large, await ProfileOfAsync(small, 8));

        resolver.Set(GrpcEndPoint(small));
        await WaitUntilAsync(() => small.App.Engine.AlivePeers == 0, TimeSpan.FromSeconds(10));
        await WaitUntilAsync(async () => await PeersAliveMetricAsync(small) == 0, TimeSpan.FromSeconds(10));
        Assert.Equal(StatusCode.ResourceExhausted, await StatusOfAsync(small, 8));
        Assert.Equal(PeerProfiles.Small, await ProfileOfAsync(small, 1));

        // Dozens of refreshes found the peer; it was linked once and removed once.
        Assert.Equal((1, 1, 1, 1), (log.Count(16), log.Count(17), log.Count(20), log.Count(21)));
    }

    [Fact]
    public async Task PeerLeavesHoldingForwards_EachAnsweredOnce()
    {
        var largeOptions = Options(PeerProfiles.Large);
        using var gate = new GatedSchedulerFactory(largeOptions);
        await using var large = await RunningServer.StartAsync(largeOptions, s => s.AddSingleton<ISchedulerFactory>(gate));
        var resolver = new SettablePeerResolver();
        resolver.Set(GrpcEndPoint(large));
        await using var small = await RunningServer.StartAsync(Options(PeerProfiles.Small) with { PeerDns = new DnsEndPoint("svc-peers.test", 1) }, s => s.AddSingleton<IPeerResolver>(resolver));
        await WaitUntilAsync(() => small.App.Engine.AlivePeers == 1, TimeSpan.FromSeconds(10));

        // Three forwards: the large slice starts one (held at the gate) and queues two.
        Task<StatusCode>[] calls = [.. Enumerable.Range(0, 3).Select(_ => StatusOfAsync(small, 8))];
        await gate.WaitForExecutionAsync().WithTimeout();
        await WaitUntilAsync(async () => await ForwardedMetricAsync(small) == 3, TimeSpan.FromSeconds(10));
        await Task.Delay(500);
        resolver.Set();

        var statuses = await Task.WhenAll(calls).WithTimeout();
        gate.Open();

        // The started one cannot be retried. The others are, on the small slice, the only one left; by now their
        // 200 ms deadline has passed, so they are answered DEADLINE_EXCEEDED rather than run or shed.
        Assert.Equal([StatusCode.DeadlineExceeded, StatusCode.DeadlineExceeded, StatusCode.Unavailable], statuses.Order());
        Assert.Equal(0, small.App.Engine.AlivePeers);
        Assert.Equal(PeerProfiles.Small, await ProfileOfAsync(small, 1));
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

    private static async Task<StatusCode> StatusOfAsync(RunningServer server, int batch)
    {
        try
        {
            await server.Grpc.ModelInferAsync(Request(batch)).ResponseAsync.WithTimeout();
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
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

    private static Task WaitUntilAsync(Func<bool> condition, TimeSpan limit) => WaitUntilAsync(() => Task.FromResult(condition()), limit);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.InRange(clock.Elapsed, TimeSpan.Zero, limit);
            await Task.Delay(20);
        }
    }
}
