using Grpc.Core;
using MigInfer.InferenceServer.Protocol;
using MigInfer.InferenceServer.Tests.Fixtures;
using MigInfer.OnnxModels;

namespace MigInfer.InferenceServer.Tests.Peers;

/// <summary>Shedding and SLO misses at the router, with their counters.</summary>
public sealed class AdmissionTests
{
    private const string Model = ModelZoo.TinyMlp;

    [Fact]
    public async Task NoSliceCanMeetTheSlo_IsShedWithResourceExhaustedAndCounted()
    {
        var file = Path.Combine(Scratch.NewFolder("profiles"), "profiles.yaml");
        await File.WriteAllTextAsync(file, "1g.10gb: {1: 50, 8: 400}\n");
        await using var server = await RunningServer.StartAsync(RunningServer.OptionsFor(Model) with { ProfileFile = file, Slo = TimeSpan.FromMilliseconds(20) });

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Grpc.ModelInferAsync(Requests.Fp32(Model, "input", [1, 2, 3, 4], [1, 4], raw: false)).ResponseAsync.WithTimeout());

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.StartsWith("shed:", error.Status.Detail, StringComparison.Ordinal);
        var text = await server.Metrics.GetStringAsync(new Uri("/metrics", UriKind.Relative)).WithTimeout();
        Assert.Contains($"miginfer_requests_shed_total{{model=\"{Model}\",version=\"1\",GPU_I_PROFILE=\"1g.10gb\"}} 1", text, StringComparison.Ordinal);
        Assert.Contains($"miginfer_routing_decisions_total{{model=\"{Model}\",version=\"1\",GPU_I_PROFILE=\"1g.10gb\",decision=\"shed\"}} 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadlinePassedBeforeRouting_IsDeadlineExceededAndCountsAsSloMiss()
    {
        await using var server = await RunningServer.StartAsync(Model);
        var request = Requests.Fp32(Model, "input", [1, 2, 3, 4], [1, 4], raw: false);
        request.Parameters["timeout"] = new InferParameter { Int64Param = 0 };

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Grpc.ModelInferAsync(request).ResponseAsync.WithTimeout());

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        var text = await server.Metrics.GetStringAsync(new Uri("/metrics", UriKind.Relative)).WithTimeout();
        Assert.Contains($"miginfer_slo_miss_total{{model=\"{Model}\",version=\"1\",GPU_I_PROFILE=\"1g.10gb\"}} 1", text, StringComparison.Ordinal);
        Assert.Contains($"miginfer_requests_shed_total{{model=\"{Model}\",version=\"1\",GPU_I_PROFILE=\"1g.10gb\"}} 0", text, StringComparison.Ordinal);
    }
}
