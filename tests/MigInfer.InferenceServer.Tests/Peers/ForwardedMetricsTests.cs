using System.Net;
using MigInfer.InferenceServer.Hosting;
using MigInfer.InferenceServer.Tests.Fixtures;
using MigInfer.OnnxModels;

namespace MigInfer.InferenceServer.Tests.Peers;

/// <summary>
/// A request the small slice forwards to the large one, as its metrics count it: Triton's counters at both slices
/// (each handled it), the client latency and the SLO outcome once, at the slice the client called.
/// </summary>
public sealed class ForwardedMetricsTests
{
    private const string Model = ModelZoo.TinyMlp;

    [Fact]
    public async Task ForwardedRequest_IsTimedAndJudgedOnceWhereTheClientCalled_AndCountedByTritonAtBoth()
    {
        var options = RunningServer.OptionsFor(Model) with { ProfileFile = PeerProfiles.WriteFile(), Slo = PeerProfiles.Slo };
        await using var large = await RunningServer.StartAsync(options with { SliceProfile = PeerProfiles.Large });
        var largeEndPoint = large.App.Listeners.EndPoint(ListenerKind.Grpc);
        await using var small = await RunningServer.StartAsync(options with { SliceProfile = PeerProfiles.Small, Peers = [new DnsEndPoint("127.0.0.1", largeEndPoint.Port)] });
        await Eventually.TrueAsync(() => small.App.Engine.AlivePeers == 1);

        // Batch 8 meets the SLO only on the large slice.
        var response = await small.Grpc.ModelInferAsync(Requests.Fp32(Model, "input", new float[32], [8, 4], raw: true)).ResponseAsync.WithTimeout();
        Assert.Equal(PeerProfiles.Large, response.Parameters["miginfer.slice_profile"].StringParam);

        Assert.Equal((1.0, 1.0), (await small.MetricAsync("nv_inference_request_success{"), await large.MetricAsync("nv_inference_request_success{")));
        Assert.Equal((1.0, 0.0), (await small.MetricAsync("miginfer_request_duration_seconds_count{"), await large.MetricAsync("miginfer_request_duration_seconds_count{")));
        Assert.Equal((1.0, 0.0), (await JudgedAsync(small), await JudgedAsync(large)));
    }

    /// <summary>miginfer_slo_requests_total summed over its outcomes.</summary>
    private static async Task<double> JudgedAsync(RunningServer server) =>
        MetricsText.Sum(await server.Metrics.GetStringAsync(new Uri("/metrics", UriKind.Relative)).WithTimeout(), "miginfer_slo_requests_total{");
}
