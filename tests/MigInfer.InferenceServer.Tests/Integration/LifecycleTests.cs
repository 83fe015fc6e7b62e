using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using MigInfer.InferenceServer.Hosting;
using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Protocol;
using MigInfer.InferenceServer.Tests.Fixtures;
using MigInfer.OnnxModels;

namespace MigInfer.InferenceServer.Tests.Integration;

public sealed class LifecycleTests
{
    private const string Model = ModelZoo.TinyMlp;

    [Fact]
    public async Task ModelStillDownloading_IsLiveButUnavailableUntilLoadedAndWarm()
    {
        await using var files = await ModelFileServer.StartAsync(await File.ReadAllBytesAsync(ModelFiles.PathOf(Model)), held: true);
        var options = RunningServer.OptionsFor(Model) with { ModelPath = files.Url.ToString(), ModelCacheDirectory = Scratch.NewFolder("model-cache") };
        await using var server = await RunningServer.StartAsync(options, waitForModel: false);
        var health = new Health.HealthClient(server.Channel);

        Assert.True((await server.Grpc.ServerLiveAsync(new ServerLiveRequest()).ResponseAsync.WithTimeout()).Live);
        Assert.False((await server.Grpc.ServerReadyAsync(new ServerReadyRequest()).ResponseAsync.WithTimeout()).Ready);
        Assert.False((await server.Grpc.ModelReadyAsync(new ModelReadyRequest { Name = Model }).ResponseAsync.WithTimeout()).Ready);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest()).ResponseAsync.WithTimeout()).Status);
        var error = await Assert.ThrowsAsync<RpcException>(() => server.Grpc.ModelInferAsync(Requests.Fp32(Model, "input", [1, 2, 3, 4], [1, 4], raw: false)).ResponseAsync.WithTimeout());
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(503, (await Requests.GetAsync(server.Http, "/v2/health/ready")).Status);
        Assert.Equal(503, (await Requests.PostAsync(server.Http, $"/v2/models/{Model}/infer", Requests.Json("input", "FP32", [1, 4], [1, 2, 3, 4]))).Status);

        files.Release();
        await server.App.ModelLoading.WithTimeout();

        Assert.True((await server.Grpc.ServerReadyAsync(new ServerReadyRequest()).ResponseAsync.WithTimeout()).Ready);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest()).ResponseAsync.WithTimeout()).Status);
        await server.Grpc.ModelInferAsync(Requests.Fp32(Model, "input", [1, 2, 3, 4], [1, 4], raw: false)).ResponseAsync.WithTimeout();
    }

    [Fact]
    public async Task ReadyServer_HasRunEachRequestPathOnceAndCountedNoneOfThem()
    {
        await using var server = await RunningServer.StartAsync(Model);

        var batchOne = Assert.Single(server.App.Engine.ObservedProfile(), p => p.Batch == 1);
        Assert.Equal(RunningServer.WarmUpRequests, batchOne.Samples);
        var text = await server.Metrics.GetStringAsync(new Uri("/metrics", UriKind.Relative)).WithTimeout();
        Assert.Contains($"nv_inference_exec_count{{model=\"{Model}\",version=\"1\"}} 0", text, StringComparison.Ordinal);
        Assert.Contains($"nv_inference_request_success{{model=\"{Model}\",version=\"1\"}} 0", text, StringComparison.Ordinal);
        Assert.Contains($"miginfer_slo_requests_total{{model=\"{Model}\",version=\"1\",GPU_I_PROFILE=\"1g.10gb\",outcome=\"met\"}} 0", text, StringComparison.Ordinal);

        await server.Grpc.ModelInferAsync(Requests.Fp32(Model, "input", [1, 2, 3, 4], [1, 4], raw: false)).ResponseAsync.WithTimeout();

        Assert.Equal(1, await server.MetricAsync($"nv_inference_exec_count{{model=\"{Model}\""));
    }

    [Fact]
    public async Task PortInUse_EndsWithExitCode1AndOneLineNamingThePorts()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        using var errors = new StringWriter();

        var exit = await ServerRunner.RunAsync(RunningServer.OptionsFor(Model) with { HttpPort = port }, errors, CancellationToken.None).WithTimeout();

        Assert.Equal(1, exit);
        Assert.StartsWith($"cannot listen (--http-port {port}, --grpc-port 0, --metrics-port 0): ", errors.ToString(), StringComparison.Ordinal);
        Assert.Contains("address already in use", errors.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task WhileWarmingUp_OnlyTheServersOwnRequestsAreServed_ClientsAreToldUnavailable()
    {
        var options = RunningServer.OptionsFor(Model);
        using var gate = new GatedSchedulerFactory(options);
        gate.Hold(); // the first warm-up request waits at the gate, so the engine stays warming up
        var log = new Peers.RecordingLoggerProvider();
        await using var server = await RunningServer.StartAsync(options, s =>
        {
            s.AddSingleton<MigInfer.InferenceServer.Execution.ISchedulerFactory>(gate);
            log.AddTo(s);
        }, waitForModel: false);
        await gate.WaitForExecutionAsync().WithTimeout();
        var request = Requests.Fp32(Model, "input", [1, 2, 3, 4], [1, 4], raw: false);

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Grpc.ModelInferAsync(request).ResponseAsync.WithTimeout());
        var (status, json) = await Requests.PostAsync(server.Http, $"/v2/models/{Model}/infer", Requests.Json("input", "FP32", [1, 4], [1, 2, 3, 4]));

        Assert.Equal(EngineState.WarmingUp, server.App.Engine.State);
        Assert.Equal((StatusCode.Unavailable, "model 'tiny_mlp' is warming up"), (error.StatusCode, error.Status.Detail));
        Assert.Equal((503, "model 'tiny_mlp' is warming up"), (status, json.GetProperty("error").GetString()));

        gate.Open();
        await server.App.ModelLoading.WithTimeout(); // ready, and the ready line logged
        await server.Grpc.ModelInferAsync(request).ResponseAsync.WithTimeout();

        // Every warm-up path (HTTP/JSON, gRPC raw and typed, a peer's forward) was served while clients were not.
        Assert.DoesNotContain("failed", Assert.Single(log.Events, e => e.Id == 22).Message, StringComparison.Ordinal);

        // Counted from ready on: the one client request served, none of the warm-up's or the refused ones.
        Assert.Equal(1.0, await server.MetricAsync("nv_inference_request_success{"));
        Assert.Equal(0.0, await server.MetricAsync("nv_inference_request_failure{"));
    }

    [Fact]
    public async Task ChecksumMismatch_FailsLoadingAndStaysUnready()
    {
        var options = RunningServer.OptionsFor(Model) with { ModelSha256 = new string('0', 64) };
        await using var server = await RunningServer.StartAsync(options, waitForModel: false);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => server.App.ModelLoading.WithTimeout());

        Assert.Contains("sha256", error.Message, StringComparison.Ordinal);
        Assert.Equal(EngineState.Failed, server.App.Engine.State);
    }

    [Fact]
    public async Task GracefulShutdown_AnswersEveryQueuedRequestAndRefusesNewOnes()
    {
        var options = RunningServer.OptionsFor(Model) with { MaxBatchSize = 1 };
        using var gate = new GatedSchedulerFactory(options);
        var server = await RunningServer.StartAsync(options, s => s.AddSingleton<MigInfer.InferenceServer.Execution.ISchedulerFactory>(gate));
        gate.Hold();
        try
        {
            var calls = Enumerable.Range(0, 5)
                .Select(i => server.Grpc.ModelInferAsync(Requests.Fp32(Model, "input", [i, 1, 2, 3], [1, 4], raw: false)).ResponseAsync)
                .ToArray();
            await gate.WaitForExecutionAsync().WithTimeout();
            await Eventually.TrueAsync(() => server.App.Engine.PendingCount == 4);

            var stopping = server.App.StopAsync(CancellationToken.None);
            await Eventually.TrueAsync(() => server.App.Engine.State == EngineState.Draining);
            var refused = await Assert.ThrowsAsync<RpcException>(() => server.Grpc.ModelInferAsync(Requests.Fp32(Model, "input", [1, 2, 3, 4], [1, 4], raw: false)).ResponseAsync.WithTimeout());
            Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
            Assert.Contains("draining", refused.Status.Detail, StringComparison.Ordinal);

            gate.Open();
            var answers = await Task.WhenAll(calls).WithTimeout();
            await stopping.WithTimeout();

            Assert.All(answers, a => Assert.Equal([1L, 3L], a.Outputs[0].Shape));
        }
        finally
        {
            server.Channel.Dispose();
            await server.App.DisposeAsync();
        }
    }
}
