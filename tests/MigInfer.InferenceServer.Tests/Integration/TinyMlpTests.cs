using System.Text.Json;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using MigInfer.InferenceServer.Protocol;
using MigInfer.InferenceServer.Tests.Fixtures;
using MigInfer.OnnxModels;

namespace MigInfer.InferenceServer.Tests.Integration;

public sealed class TinyMlpTests(TinyMlpServer fixture) : IClassFixture<TinyMlpServer>
{
    private static readonly float[] Batch3 = [0.5f, -1f, 2f, 0.25f, 1f, 1f, 1f, 1f, -3f, 0f, 0.75f, 4f];

    private RunningServer Server => fixture.Server;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ModelInfer_MatchesIndependentComputation(bool raw)
    {
        var response = await Server.Grpc.ModelInferAsync(Requests.Fp32(ModelZoo.TinyMlp, "input", Batch3, [3, 4], raw)).ResponseAsync.WithTimeout();

        Assert.Equal("req-1", response.Id);
        Assert.Equal(ModelZoo.TinyMlp, response.ModelName);
        Assert.Equal("1", response.ModelVersion);
        var output = Assert.Single(response.Outputs);
        Assert.Equal("output", output.Name);
        Assert.Equal("FP32", output.Datatype);
        Assert.Equal([3L, 3L], output.Shape);
        Assert.Equal(raw, response.RawOutputContents.Count == 1);
        Assert.Equal(!raw, output.Contents is not null);
        var expected = TinyMlpServer.Expected(Batch3);
        var actual = Requests.Fp32Output(response, 0);
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 4);
        }
    }

    [Fact]
    public async Task HttpInfer_AgreesWithGrpc()
    {
        var grpc = await Server.Grpc.ModelInferAsync(Requests.Fp32(ModelZoo.TinyMlp, "input", Batch3, [3, 4], raw: false)).ResponseAsync.WithTimeout();
        var body = Requests.Json("input", "FP32", [3, 4], [.. Batch3.Select(v => JsonValue.Create(v))]);

        var (status, json) = await Requests.PostAsync(Server.Http, $"/v2/models/{ModelZoo.TinyMlp}/infer", body);

        Assert.Equal(200, status);
        Assert.Equal("req-1", json.GetProperty("id").GetString());
        var output = json.GetProperty("outputs")[0];
        Assert.Equal("output", output.GetProperty("name").GetString());
        Assert.Equal([3L, 3L], output.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(grpc.Outputs[0].Contents.Fp32Contents, output.GetProperty("data").EnumerateArray().Select(e => e.GetSingle()));
    }

    [Fact]
    public async Task VersionedRoutes_ServeTheConfiguredVersion()
    {
        var (status, json) = await Requests.PostAsync(Server.Http, $"/v2/models/{ModelZoo.TinyMlp}/versions/1/infer", Requests.Json("input", "FP32", [1, 4], [1, 2, 3, 4]));
        Assert.Equal(200, status);
        Assert.Equal("1", json.GetProperty("model_version").GetString());
        var (readyStatus, ready) = await Requests.GetAsync(Server.Http, $"/v2/models/{ModelZoo.TinyMlp}/versions/1/ready");
        Assert.Equal(200, readyStatus);
        Assert.True(ready.GetProperty("ready").GetBoolean());
    }

    [Fact]
    public async Task Metadata_DescribesTheModelOnBothProtocols()
    {
        var grpc = await Server.Grpc.ModelMetadataAsync(new ModelMetadataRequest { Name = ModelZoo.TinyMlp }).ResponseAsync.WithTimeout();
        Assert.Equal(["1"], grpc.Versions);
        Assert.Equal("onnxruntime_onnx", grpc.Platform);
        Assert.Equal(("input", "FP32", "-1,4"), (grpc.Inputs[0].Name, grpc.Inputs[0].Datatype, string.Join(",", grpc.Inputs[0].Shape)));
        Assert.Equal(("output", "FP32", "-1,3"), (grpc.Outputs[0].Name, grpc.Outputs[0].Datatype, string.Join(",", grpc.Outputs[0].Shape)));

        var (status, json) = await Requests.GetAsync(Server.Http, $"/v2/models/{ModelZoo.TinyMlp}");
        Assert.Equal(200, status);
        Assert.Equal("onnxruntime_onnx", json.GetProperty("platform").GetString());
        Assert.Equal([-1L, 4L], json.GetProperty("inputs")[0].GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));

        var server = await Server.Grpc.ServerMetadataAsync(new ServerMetadataRequest()).ResponseAsync.WithTimeout();
        Assert.Equal("miginfer", server.Name);
        Assert.Equal(["miginfer_slice_report"], server.Extensions);
        var (serverStatus, serverJson) = await Requests.GetAsync(Server.Http, "/v2");
        Assert.Equal((200, "miginfer"), (serverStatus, serverJson.GetProperty("name").GetString()));
        Assert.Equal(["miginfer_slice_report"], serverJson.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Health_IsServingAndReadyOnEveryProtocol()
    {
        Assert.True((await Server.Grpc.ServerLiveAsync(new ServerLiveRequest()).ResponseAsync.WithTimeout()).Live);
        Assert.True((await Server.Grpc.ServerReadyAsync(new ServerReadyRequest()).ResponseAsync.WithTimeout()).Ready);
        Assert.True((await Server.Grpc.ModelReadyAsync(new ModelReadyRequest { Name = ModelZoo.TinyMlp }).ResponseAsync.WithTimeout()).Ready);
        var health = await new Health.HealthClient(Server.Channel).CheckAsync(new HealthCheckRequest()).ResponseAsync.WithTimeout();
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Equal(200, (await Requests.GetAsync(Server.Http, "/v2/health/live")).Status);
        Assert.Equal(200, (await Requests.GetAsync(Server.Http, "/v2/health/ready")).Status);
    }

    [Fact]
    public async Task Reflection_ListsTheInferenceAndHealthServices()
    {
        using var call = new ServerReflection.ServerReflectionClient(Server.Channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }).WithTimeout();
        await call.RequestStream.CompleteAsync().WithTimeout();

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WithTimeout());
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToArray();
        Assert.Contains("inference.GRPCInferenceService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Fact]
    public async Task Metrics_CarryTritonNamesAndSliceLabels()
    {
        await Server.Grpc.ModelInferAsync(Requests.Fp32(ModelZoo.TinyMlp, "input", Batch3, [3, 4], raw: true)).ResponseAsync.WithTimeout();

        var text = await Server.Metrics.GetStringAsync(new Uri("/metrics", UriKind.Relative)).WithTimeout();

        Assert.Matches("nv_inference_request_success\\{model=\"tiny_mlp\",version=\"1\"\\} [1-9]", text);
        Assert.Matches("nv_inference_count\\{model=\"tiny_mlp\",version=\"1\"\\} [1-9]", text);
        foreach (var name in new[] { "nv_inference_request_failure", "nv_inference_exec_count", "nv_inference_request_duration_us", "nv_inference_queue_duration_us", "nv_inference_compute_infer_duration_us", "nv_inference_pending_request_count" })
        {
            Assert.Contains(name + "{model=\"tiny_mlp\",version=\"1\"}", text, StringComparison.Ordinal);
        }

        const string Slice = "model=\"tiny_mlp\",version=\"1\",GPU_I_PROFILE=\"1g.10gb\",execution_provider=\"cpu\"";
        Assert.Contains("miginfer_request_duration_seconds_bucket{" + Slice, text, StringComparison.Ordinal);
        Assert.Contains("miginfer_queue_duration_seconds_count{" + Slice, text, StringComparison.Ordinal);
        Assert.Contains("miginfer_batch_size_count{" + Slice, text, StringComparison.Ordinal);
        Assert.Contains("miginfer_execution_provider_info{" + Slice + "} 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachPort_ServesOnlyItsOwnEndpoints()
    {
        using var metricsOnHttp = await Server.Http.GetAsync(new Uri("/metrics", UriKind.Relative)).WithTimeout();
        using var jsonOnMetrics = await Server.Metrics.GetAsync(new Uri("/v2/health/live", UriKind.Relative)).WithTimeout();
        Assert.Equal(404, (int)metricsOnHttp.StatusCode);
        Assert.Equal(404, (int)jsonOnMetrics.StatusCode);
    }

    [Fact]
    public async Task ConcurrentRequests_AreBatchedAndEachGetsItsOwnRows()
    {
        var rows = Enumerable.Range(0, 24).Select(i => new[] { i, -i, i * 0.5f, 1f }).ToArray();
        var answers = await Task.WhenAll(rows.Select(row =>
            Server.Grpc.ModelInferAsync(Requests.Fp32(ModelZoo.TinyMlp, "input", row, [1, 4], raw: true)).ResponseAsync)).WithTimeout();

        for (var i = 0; i < rows.Length; i++)
        {
            var expected = TinyMlpServer.Expected(rows[i]);
            var actual = Requests.Fp32Output(answers[i], 0);
            Assert.Equal([1L, 3L], answers[i].Outputs[0].Shape);
            for (var k = 0; k < expected.Length; k++)
            {
                Assert.Equal(expected[k], actual[k], 4);
            }
        }
    }

    [Fact]
    public async Task JsonNumbersOfWrongKind_AnswerBadRequestWithErrorBody()
    {
        var (status, json) = await Requests.PostAsync(Server.Http, $"/v2/models/{ModelZoo.TinyMlp}/infer", Requests.Json("input", "FP32", [1, 4], [1, 2, 3, "four"]));
        Assert.Equal(400, status);
        Assert.Contains("inputs[0].data[3]", json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedJson_AnswersBadRequest()
    {
        using var content = new StringContent("{\"inputs\": [", System.Text.Encoding.UTF8, "application/json");
        using var response = await Server.Http.PostAsync(new Uri($"/v2/models/{ModelZoo.TinyMlp}/infer", UriKind.Relative), content).WithTimeout();
        Assert.Equal(400, (int)response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync().WithTimeout());
        Assert.Contains("not valid JSON", body.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownModel_IsNotFoundOnBothProtocols()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Server.Grpc.ModelInferAsync(Requests.Fp32("nope", "input", [1, 2, 3, 4], [1, 4], raw: false)).ResponseAsync.WithTimeout());
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("'nope'", error.Status.Detail, StringComparison.Ordinal);
        var metadataError = await Assert.ThrowsAsync<RpcException>(() => Server.Grpc.ModelMetadataAsync(new ModelMetadataRequest { Name = ModelZoo.TinyMlp, Version = "7" }).ResponseAsync.WithTimeout());
        Assert.Equal(StatusCode.NotFound, metadataError.StatusCode);
        Assert.Contains("version '7'", metadataError.Status.Detail, StringComparison.Ordinal);

        Assert.Equal(404, (await Requests.PostAsync(Server.Http, "/v2/models/nope/infer", Requests.Json("input", "FP32", [1, 4], [1, 2, 3, 4]))).Status);
        Assert.Equal(404, (await Requests.GetAsync(Server.Http, $"/v2/models/{ModelZoo.TinyMlp}/versions/7/ready")).Status);
    }
}
