using System.Text;
using Google.Protobuf;
using Grpc.Core;
using MigInfer.InferenceServer.Protocol;
using MigInfer.InferenceServer.Tests.Fixtures;
using MigInfer.OnnxModels;

namespace MigInfer.InferenceServer.Tests.Integration;

/// <summary>Thousands of random and mutated requests: each gets a well-formed status and the server stays up.</summary>
public sealed class FuzzTests
{
    private static readonly string[] Datatypes = ["FP32", "FP16", "FP64", "INT64", "INT32", "INT8", "UINT8", "BOOL", "BYTES", "BF16", "UINT64", "fp32", "", "COMPLEX64"];

    private const string JsonNoise = "{}[]\",:0123456789-.aezE \u0000";

    private static readonly StatusCode[] WellFormed =
        [StatusCode.OK, StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.ResourceExhausted, StatusCode.DeadlineExceeded];

    [Fact]
    public async Task RandomAndMutatedGrpcRequests_EachGetAWellFormedStatus()
    {
        var options = RunningServer.OptionsFor(ModelZoo.AddSubModelName(OnnxModels.TensorElementType.Int32)) with { MaxMessageBytes = 64 * 1024, MaxQueueSize = 64 };
        await using var server = await RunningServer.StartAsync(options);
        var random = new Random(20261122);
        var counts = new Dictionary<StatusCode, int>();
        for (var round = 0; round < 100; round++)
        {
            var requests = Enumerable.Range(0, 30).Select(_ => Mutate(random, options.ModelName)).ToArray();
            var statuses = await Task.WhenAll(requests.Select(r => StatusOfAsync(server, r))).WithTimeout();
            foreach (var status in statuses)
            {
                Assert.Contains(status, WellFormed);
                counts[status] = counts.GetValueOrDefault(status) + 1;
            }
        }

        Assert.True(counts.GetValueOrDefault(StatusCode.OK) > 100, $"too few valid requests: {string.Join(", ", counts)}");
        Assert.True(counts.GetValueOrDefault(StatusCode.InvalidArgument) > 100, $"too few invalid requests: {string.Join(", ", counts)}");
        Assert.True((await server.Grpc.ServerLiveAsync(new ServerLiveRequest()).ResponseAsync.WithTimeout()).Live);
        Assert.True((await server.Grpc.ServerReadyAsync(new ServerReadyRequest()).ResponseAsync.WithTimeout()).Ready);
    }

    [Fact]
    public async Task RandomHttpBodies_EachGetAJsonAnswer()
    {
        await using var server = await RunningServer.StartAsync(ModelZoo.TinyMlp);
        var random = new Random(7);
        const string Valid = "{\"id\":\"x\",\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,4],\"data\":[1,2,3,4]}],\"outputs\":[{\"name\":\"output\"}]}";
        for (var i = 0; i < 500; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(Valid);
            for (var m = random.Next(0, 4); m > 0; m--)
            {
                bytes[random.Next(bytes.Length)] = (byte)JsonNoise[random.Next(JsonNoise.Length)];
            }

            if (random.Next(4) == 0)
            {
                bytes = bytes[..random.Next(bytes.Length)];
            }

            using var content = new ByteArrayContent(bytes);
            using var response = await server.Http.PostAsync(new Uri($"/v2/models/{ModelZoo.TinyMlp}/infer", UriKind.Relative), content).WithTimeout();
            Assert.True(response.StatusCode is System.Net.HttpStatusCode.OK or System.Net.HttpStatusCode.BadRequest, $"HTTP {(int)response.StatusCode}");
            using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync().WithTimeout());
            Assert.True(response.IsSuccessStatusCode ? json.RootElement.TryGetProperty("outputs", out _) : json.RootElement.TryGetProperty("error", out _));
        }

        Assert.Equal(200, (await Requests.GetAsync(server.Http, "/v2/health/live")).Status);
    }

    private static async Task<StatusCode> StatusOfAsync(RunningServer server, ModelInferRequest request)
    {
        try
        {
            await server.Grpc.ModelInferAsync(request).ResponseAsync;
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            Assert.False(string.IsNullOrEmpty(ex.Status.Detail), $"status {ex.StatusCode} without a message");
            return ex.StatusCode;
        }
    }

    private static ModelInferRequest Mutate(Random random, string model)
    {
        var raw = random.Next(2) == 0;
        var request = new ModelInferRequest { ModelName = model, Id = random.Next().ToString() };
        foreach (var name in new[] { "input0", "input1" })
        {
            var batch = random.Next(1, 4);
            var values = Enumerable.Range(0, batch * 4).Select(_ => random.Next(-1000, 1000)).ToArray();
            var tensor = new ModelInferRequest.Types.InferInputTensor { Name = name, Datatype = "INT32", Shape = { batch, 4 } };
            if (raw)
            {
                request.RawInputContents.Add(ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())));
            }
            else
            {
                tensor.Contents = new InferTensorContents { IntContents = { values } };
            }

            request.Inputs.Add(tensor);
        }

        for (var m = random.Next(0, 3); m > 0; m--)
        {
            ApplyMutation(random, request);
        }

        return request;
    }

    private static void ApplyMutation(Random random, ModelInferRequest request)
    {
        var input = request.Inputs.Count > 0 ? request.Inputs[random.Next(request.Inputs.Count)] : null;
        switch (random.Next(14))
        {
            case 0 when input is not null: input.Datatype = Datatypes[random.Next(Datatypes.Length)]; break;
            case 1 when input is not null: input.Shape.Add(random.Next(-2, 3)); break;
            case 2 when input is not null && input.Shape.Count > 0: input.Shape[random.Next(input.Shape.Count)] = random.NextInt64(-5, 1L << 40); break;
            case 3 when input is not null: input.Shape.Clear(); break;
            case 4 when input is not null: input.Name = random.Next(2) == 0 ? "" : "other"; break;
            case 5 when input is not null: (input.Contents ??= new()).Fp32Contents.Add(random.NextSingle()); break;
            case 6 when input is not null: (input.Contents ??= new()).BytesContents.Add(ByteString.CopyFrom(RandomBytes(random, 8))); break;
            case 7 when request.RawInputContents.Count > 0: request.RawInputContents[random.Next(request.RawInputContents.Count)] = ByteString.CopyFrom(RandomBytes(random, 64)); break;
            case 8: request.RawInputContents.Add(ByteString.CopyFrom(RandomBytes(random, 32))); break;
            case 9 when request.Inputs.Count > 0: request.Inputs.RemoveAt(random.Next(request.Inputs.Count)); break;
            case 10: request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = random.Next(2) == 0 ? "sum" : "nope" }); break;
            case 11: request.ModelVersion = random.Next(2) == 0 ? "1" : "9"; break;
            case 12: request.ModelName = random.Next(4) == 0 ? "missing" : request.ModelName; break;
            default: request.Parameters["timeout"] = random.Next(2) == 0 ? new InferParameter { Int64Param = random.Next(-1, 10_000) } : new InferParameter { DoubleParam = 1.5 }; break;
        }
    }

    private static byte[] RandomBytes(Random random, int max)
    {
        var bytes = new byte[random.Next(max)];
        random.NextBytes(bytes);
        return bytes;
    }
}
