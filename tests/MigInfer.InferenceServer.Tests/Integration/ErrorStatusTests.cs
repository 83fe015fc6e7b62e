using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using MigInfer.InferenceServer.Protocol;
using MigInfer.InferenceServer.Tests.Fixtures;
using MigInfer.OnnxModels;

namespace MigInfer.InferenceServer.Tests.Integration;

public sealed class ErrorStatusTests(TinyMlpServer fixture) : IClassFixture<TinyMlpServer>
{
    private const string Model = ModelZoo.TinyMlp;

    public static TheoryData<string, string[]> InvalidGrpcRequests => new()
    {
        { "wrong-datatype", ["input 'input'", "datatype FP64", "FP32"] },
        { "wrong-rank", ["input 'input'", "shape [4]", "rank 1"] },
        { "wrong-dimension", ["input 'input'", "shape[1] is 5", "needs 4"] },
        { "element-count", ["tensor 'input'", "contents.fp32_contents", "has 3 elements", "needs 4"] },
        { "raw-length", ["tensor 'input'", "raw_input_contents[0]", "has 15 bytes", "needs 16"] },
        { "missing-input", ["input 'input'", "is missing"] },
        { "extra-input", ["input 'extra'", "is not an input", "inputs: input"] },
        { "batch-too-large", ["input 'input'", "shape[0] (batch) is 9", "maximum batch size 8"] },
        { "raw-and-typed", ["tensor 'input'", "inputs[0].contents", "together with raw_input_contents"] },
        { "raw-count", ["raw_input_contents has 2 entries", "inputs has 1"] },
        { "unknown-output", ["outputs[0].name 'nope'", "outputs: output"] },
        { "bad-timeout", ["parameters.timeout", "stringParam", "soon"] },
    };

    [Theory]
    [MemberData(nameof(InvalidGrpcRequests))]
    public async Task InvalidRequest_IsInvalidArgumentNamingTensorFieldAndValues(string scenario, string[] expected)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Server.Grpc.ModelInferAsync(Invalid(scenario)).ResponseAsync.WithTimeout());
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        foreach (var part in expected)
        {
            Assert.Contains(part, error.Status.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ErrorBody_ReadsAsWrittenWithoutHtmlEscapes()
    {
        using var content = new StringContent(Requests.Json("input", "FP64", [1, 4], [1, 2, 3, 4]).ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await fixture.Server.Http.PostAsync(new Uri($"/v2/models/{Model}/infer", UriKind.Relative), content).WithTimeout();

        Assert.Equal("""{"error":"input 'input': datatype FP64 does not match the model's FP32"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task InvalidJsonRequest_Answers400WithErrorBody()
    {
        var (status, json) = await Requests.PostAsync(fixture.Server.Http, $"/v2/models/{Model}/infer", Requests.Json("input", "FP32", [1, 5], [1, 2, 3, 4, 5]));
        Assert.Equal(400, status);
        Assert.Contains("shape[1] is 5", json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimeoutParameterOfZero_IsDeadlineExceededOnBothProtocols()
    {
        var request = Requests.Fp32(Model, "input", [1, 2, 3, 4], [1, 4], raw: false);
        request.Parameters["timeout"] = new InferParameter { Int64Param = 0 };
        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Server.Grpc.ModelInferAsync(request).ResponseAsync.WithTimeout());
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);

        var body = Requests.Json("input", "FP32", [1, 4], [1, 2, 3, 4]);
        body["parameters"] = new JsonObject { ["timeout"] = 0 };
        var (status, json) = await Requests.PostAsync(fixture.Server.Http, $"/v2/models/{Model}/infer", body);
        Assert.Equal(504, status);
        Assert.Contains("Deadline cannot be met", json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessageAboveMaximum_IsResourceExhaustedAnd413()
    {
        var options = RunningServer.OptionsFor(Model) with { MaxMessageBytes = 4096 };
        await using var server = await RunningServer.StartAsync(options);
        var big = new float[2048];

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Grpc.ModelInferAsync(Requests.Fp32(Model, "input", big, [512, 4], raw: true)).ResponseAsync.WithTimeout());
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);

        var (status, json) = await Requests.PostAsync(server.Http, $"/v2/models/{Model}/infer", Requests.Json("input", "FP32", [512, 4], [.. big.Select(v => JsonValue.Create(v))]));
        Assert.Equal(413, status);
        Assert.Contains("4096 bytes", json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueueFull_IsResourceExhaustedAnd429()
    {
        var options = RunningServer.OptionsFor(Model) with { MaxQueueSize = 1, MaxBatchSize = 1 };
        using var gate = new GatedSchedulerFactory(options);
        await using var server = await RunningServer.StartAsync(options, s => s.AddSingleton<MigInfer.InferenceServer.Execution.ISchedulerFactory>(gate));
        gate.Hold();
        var executing = server.Grpc.ModelInferAsync(Requests.Fp32(Model, "input", [1, 2, 3, 4], [1, 4], raw: false)).ResponseAsync;
        await gate.WaitForExecutionAsync().WithTimeout();
        var queued = server.Grpc.ModelInferAsync(Requests.Fp32(Model, "input", [1, 2, 3, 4], [1, 4], raw: false)).ResponseAsync;
        await Eventually.TrueAsync(() => server.App.Engine.PendingCount == 1);

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Grpc.ModelInferAsync(Requests.Fp32(Model, "input", [1, 2, 3, 4], [1, 4], raw: false)).ResponseAsync.WithTimeout());
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("queue is full", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(429, (await Requests.PostAsync(server.Http, $"/v2/models/{Model}/infer", Requests.Json("input", "FP32", [1, 4], [1, 2, 3, 4]))).Status);

        gate.Open();
        await Task.WhenAll(executing, queued).WithTimeout();
    }

    [Fact]
    public async Task GrpcDeadlinePassingInTheQueue_IsDeadlineExceeded()
    {
        var options = RunningServer.OptionsFor(Model) with { MaxBatchSize = 1 };
        using var gate = new GatedSchedulerFactory(options);
        await using var server = await RunningServer.StartAsync(options, s => s.AddSingleton<MigInfer.InferenceServer.Execution.ISchedulerFactory>(gate));
        gate.Hold();
        var executing = server.Grpc.ModelInferAsync(Requests.Fp32(Model, "input", [1, 2, 3, 4], [1, 4], raw: false)).ResponseAsync;
        await gate.WaitForExecutionAsync().WithTimeout();

        var call = server.Grpc.ModelInferAsync(Requests.Fp32(Model, "input", [1, 2, 3, 4], [1, 4], raw: false), deadline: DateTime.UtcNow.AddMilliseconds(300));
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WithTimeout());
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);

        gate.Open();
        await executing.WithTimeout();
        await Eventually.TrueAsync(() => server.App.Engine.PendingCount == 0);
    }

    private static ModelInferRequest Invalid(string scenario)
    {
        var request = Requests.Fp32(Model, "input", [1, 2, 3, 4], [1, 4], raw: scenario is "raw-length" or "raw-and-typed" or "raw-count");
        var input = request.Inputs[0];
        switch (scenario)
        {
            case "wrong-datatype":
                input.Datatype = "FP64";
                input.Contents = new InferTensorContents();
                input.Contents.Fp64Contents.AddRange([1, 2, 3, 4]);
                break;
            case "wrong-rank": input.Shape.Clear(); input.Shape.Add(4); break;
            case "wrong-dimension": input.Shape[1] = 5; input.Contents.Fp32Contents.Add(5); break;
            case "element-count": input.Contents.Fp32Contents.RemoveAt(3); break;
            case "raw-length": request.RawInputContents[0] = ByteString.CopyFrom(new byte[15]); break;
            case "missing-input": request.Inputs.Clear(); break;
            case "extra-input": request.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = "extra", Datatype = "FP32", Shape = { 1 }, Contents = new InferTensorContents { Fp32Contents = { 1 } } }); break;
            case "batch-too-large":
                input.Shape[0] = 9;
                input.Contents.Fp32Contents.AddRange(new float[32]);
                break;
            case "raw-and-typed": input.Contents = new InferTensorContents { Fp32Contents = { 1, 2, 3, 4 } }; break;
            case "raw-count": request.RawInputContents.Add(ByteString.CopyFrom(new byte[16])); break;
            case "unknown-output": request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "nope" }); break;
            case "bad-timeout": request.Parameters["timeout"] = new InferParameter { StringParam = "soon" }; break;
            default: throw new ArgumentException(scenario);
        }

        return request;
    }
}
