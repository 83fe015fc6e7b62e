using System.Diagnostics;
using System.Net;
using Grpc.Core;
using MigInfer.InferenceServer.Configuration;
using MigInfer.InferenceServer.Observability;
using MigInfer.InferenceServer.Protocol;
using MigInfer.InferenceServer.Protocol.Peer;
using MigInfer.InferenceServer.Tests.Fixtures;
using MigInfer.OnnxModels;

namespace MigInfer.InferenceServer.Tests.Peers;

/// <summary>Two in-process servers (1g and 7g) as each other's peers, over real gRPC on loopback.</summary>
public sealed class PeerRoutingTests : IAsyncLifetime
{
    private const string Model = ModelZoo.TinyMlp;
    private RunningServer _small = null!;
    private RunningServer _large = null!;

    public async Task InitializeAsync()
    {
        var ports = PeerProfiles.FreePorts(2);
        var file = PeerProfiles.WriteFile();
        _small = await RunningServer.StartAsync(Options(PeerProfiles.Small, ports[0], ports[1], file));
        _large = await RunningServer.StartAsync(Options(PeerProfiles.Large, ports[1], ports[0], file));
        await WaitForPeersAsync(_small, 1);
        await WaitForPeersAsync(_large, 1);
    }

    public async Task DisposeAsync()
    {
        await _small.DisposeAsync();
        await _large.DisposeAsync();
    }

    [Fact]
    public async Task Hello_NamesTheSliceProfileAndMaxBatch()
    {
        var hello = await Peer(_large).HelloAsync(new HelloRequest { ModelName = Model }).ResponseAsync.WithTimeout();

        Assert.Equal(PeerProfiles.Large, hello.SliceProfile);
        Assert.Equal(8, hello.MaxBatchSize);
        Assert.Equal(Model, hello.ModelName);
    }

    [Fact]
    public async Task HelloForAnotherModel_IsFailedPrecondition()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Peer(_large).HelloAsync(new HelloRequest { ModelName = "other" }).ResponseAsync.WithTimeout());

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
    }

    [Fact]
    public async Task Watch_ReportsMoreOftenThanEvery50Ms()
    {
        using var cancel = new CancellationTokenSource();
        using var watch = Peer(_small).Watch(new WatchRequest(), cancellationToken: cancel.Token);
        var clock = Stopwatch.StartNew();
        var reports = 0;
        while (reports < 21 && await watch.ResponseStream.MoveNext(CancellationToken.None).WithTimeout())
        {
            Assert.True(watch.ResponseStream.Current.Ready);
            reports++;
        }

        // 21 reports span 20 intervals; at 50 ms each that would take a full second.
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        await cancel.CancelAsync();
    }

    [Theory]
    [InlineData(1, PeerProfiles.Small)]
    [InlineData(8, PeerProfiles.Large)]
    public async Task ClientRequest_RunsOnTheSmallestSliceThatMeetsTheDeadline(int batch, string expectedProfile)
    {
        foreach (var entry in new[] { _small, _large })
        {
            var response = await entry.Grpc.ModelInferAsync(Request(batch)).ResponseAsync.WithTimeout();

            Assert.Equal(expectedProfile, response.Parameters["miginfer.slice_profile"].StringParam);
            Assert.Equal(batch * 3, Requests.Fp32Output(response, 0).Length);
        }
    }

    [Fact]
    public async Task ForwardedRequest_RunsOnThePeerItWasSentToAndReportsStartAndBacklog()
    {
        using var call = Peer(_large).Infer(new PeerInferRequest { Request = Request(1, raw: true), DeadlineRemainingUs = 1_000_000 });
        var events = new List<PeerInferEvent>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None).WithTimeout())
        {
            events.Add(call.ResponseStream.Current);
        }

        Assert.Equal([PeerInferEvent.EventOneofCase.Started, PeerInferEvent.EventOneofCase.Result], events.Select(e => e.EventCase));
        Assert.All(events, e => Assert.NotNull(e.Backlog));
        Assert.Equal(PeerProfiles.Large, events[1].Result.Parameters["miginfer.slice_profile"].StringParam);
    }

    [Fact]
    public async Task RoutingDecisions_AreCountedByDecision()
    {
        await _large.Grpc.ModelInferAsync(Request(1)).ResponseAsync.WithTimeout();
        await _large.Grpc.ModelInferAsync(Request(8)).ResponseAsync.WithTimeout();

        var text = await _large.Metrics.GetStringAsync(new Uri("/metrics", UriKind.Relative)).WithTimeout();

        Assert.Matches($"miginfer_routing_decisions_total\\{{model=\"{Model}\",version=\"1\",GPU_I_PROFILE=\"{PeerProfiles.Large}\",decision=\"forwarded\"\\}} [1-9]", text);
        Assert.Matches($"miginfer_routing_decisions_total\\{{model=\"{Model}\",version=\"1\",GPU_I_PROFILE=\"{PeerProfiles.Large}\",decision=\"local\"\\}} [1-9]", text);
        Assert.Contains("miginfer_requests_shed_total{", text, StringComparison.Ordinal);
        Assert.Contains("miginfer_peers_alive{", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SloOutcomes_AreCountedOnceAtTheSliceTheClientCalled()
    {
        await _large.Grpc.ModelInferAsync(Request(1)).ResponseAsync.WithTimeout();
        await _large.Grpc.ModelInferAsync(Request(8)).ResponseAsync.WithTimeout();

        var large = await _large.Metrics.GetStringAsync(new Uri("/metrics", UriKind.Relative)).WithTimeout();
        var small = await _small.Metrics.GetStringAsync(new Uri("/metrics", UriKind.Relative)).WithTimeout();

        Assert.Matches($"miginfer_routing_decisions_total\\{{model=\"{Model}\",version=\"1\",GPU_I_PROFILE=\"{PeerProfiles.Large}\",decision=\"forwarded\"\\}} [1-9]", large);
        Assert.Equal(2, SloRequests(large, PeerProfiles.Large));
        Assert.Equal(0, SloRequests(small, PeerProfiles.Small));
    }

    [Fact]
    public async Task PeerStopped_IsDroppedWithinASecondAndItsRequestsRunElsewhere()
    {
        await _small.DisposeAsync();
        var clock = Stopwatch.StartNew();
        while (_large.App.Engine.AlivePeers > 0)
        {
            Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1.5));
            await Task.Delay(10);
        }

        var response = await _large.Grpc.ModelInferAsync(Request(1)).ResponseAsync.WithTimeout();

        Assert.Equal(PeerProfiles.Large, response.Parameters["miginfer.slice_profile"].StringParam);
        _small = await RunningServer.StartAsync(RunningServer.OptionsFor(Model));
    }

    private static ServerOptions Options(string profile, int grpcPort, int peerPort, string profileFile) => RunningServer.OptionsFor(Model) with
    {
        SliceProfile = profile,
        GrpcPort = grpcPort,
        Peers = [new DnsEndPoint("127.0.0.1", peerPort)],
        ProfileFile = profileFile,
        Slo = PeerProfiles.Slo,
    };

    private static SlicePeer.SlicePeerClient Peer(RunningServer server) => new(server.Channel);

    /// <summary>Client requests a slice judged against their deadline, over every outcome.</summary>
    private static double SloRequests(string metrics, string profile) =>
        Enum.GetNames<SloOutcome>().Sum(outcome => MetricsText.Value(metrics, $"miginfer_slo_requests_total{{model=\"{Model}\",version=\"1\",GPU_I_PROFILE=\"{profile}\",outcome=\"{outcome.ToLowerInvariant()}\"}}") ?? double.NaN);

    private static ModelInferRequest Request(int batch, bool raw = false) =>
        Requests.Fp32(Model, "input", [.. Enumerable.Range(0, batch * 4).Select(i => (float)i)], [batch, 4], raw);

    private static async Task WaitForPeersAsync(RunningServer server, int count)
    {
        var clock = Stopwatch.StartNew();
        while (server.App.Engine.AlivePeers < count)
        {
            Assert.InRange(clock.Elapsed, TimeSpan.Zero, TestTimeouts.Default);
            await Task.Delay(20);
        }
    }
}
