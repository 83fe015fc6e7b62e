using Grpc.Core;
using MigInfer.InferenceServer.Protocol;
using MigInfer.InferenceServer.Tests.Fixtures;
using MigInfer.OnnxModels;

namespace MigInfer.InferenceServer.Tests.Peers;

/// <summary>Shedding, SLO misses and met SLOs at the router, with their counters.</summary>
public sealed class AdmissionTests
{
    private const string Model = ModelZoo.TinyMlp;
    private const string SloRequests = $"miginfer_slo_requests_total{{model=\"{Model}\",version=\"1\",GPU_I_PROFILE=\"1g.10gb\",";

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
        Assert.Contains($"{SloRequests}outcome=\"shed\"}} 1", text, StringComparison.Ordinal);
        Assert.Contains($"{SloRequests}outcome=\"met\"}} 0", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadlinePassedBeforeRouting_IsDeadlineExceededAndCountsAsLate()
    {
        await using var server = await RunningServer.StartAsync(Model);
        var request = Requests.Fp32(Model, "input", [1, 2, 3, 4], [1, 4], raw: false);
        request.Parameters["timeout"] = new InferParameter { Int64Param = 0 };

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Grpc.ModelInferAsync(request).ResponseAsync.WithTimeout());

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        var text = await server.Metrics.GetStringAsync(new Uri("/metrics", UriKind.Relative)).WithTimeout();
        Assert.Contains($"{SloRequests}outcome=\"late\"}} 1", text, StringComparison.Ordinal);
        Assert.Contains($"miginfer_requests_shed_total{{model=\"{Model}\",version=\"1\",GPU_I_PROFILE=\"1g.10gb\"}} 0", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnsweredInTime_CountsAsMetAndAnInvalidRequestIsNotJudged()
    {
        await using var server = await RunningServer.StartAsync(RunningServer.OptionsFor(Model) with { Slo = TimeSpan.FromSeconds(30), SloPercentile = 99.9 });

        await server.Grpc.ModelInferAsync(Requests.Fp32(Model, "input", [1, 2, 3, 4], [1, 4], raw: false)).ResponseAsync.WithTimeout();
        var tooLarge = Requests.Fp32(Model, "input", [.. Enumerable.Range(0, 9 * 4).Select(i => (float)i)], [9, 4], raw: false);
        var error = await Assert.ThrowsAsync<RpcException>(() => server.Grpc.ModelInferAsync(tooLarge).ResponseAsync.WithTimeout());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var text = await server.Metrics.GetStringAsync(new Uri("/metrics", UriKind.Relative)).WithTimeout();
        Assert.Contains($"{SloRequests}outcome=\"met\"}} 1", text, StringComparison.Ordinal);
        Assert.Contains($"{SloRequests}outcome=\"late\"}} 0", text, StringComparison.Ordinal);
        Assert.Contains($"{SloRequests}outcome=\"failed\"}} 0", text, StringComparison.Ordinal);
        Assert.Contains($"miginfer_slo_objective_ratio{{model=\"{Model}\",version=\"1\",GPU_I_PROFILE=\"1g.10gb\"}} 0.999", text, StringComparison.Ordinal);
        Assert.Contains($"miginfer_slo_latency_seconds{{model=\"{Model}\",version=\"1\",GPU_I_PROFILE=\"1g.10gb\"}} 30", text, StringComparison.Ordinal);
    }
}
