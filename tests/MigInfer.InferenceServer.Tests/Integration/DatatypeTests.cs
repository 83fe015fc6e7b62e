using System.Text.Json.Nodes;
using Google.Protobuf;
using MigInfer.InferenceServer.Protocol;
using MigInfer.InferenceServer.Tensors;
using MigInfer.InferenceServer.Tests.Fixtures;
using MigInfer.OnnxModels;
using OnnxType = MigInfer.OnnxModels.TensorElementType;

namespace MigInfer.InferenceServer.Tests.Integration;

public sealed class DatatypeTests
{
    public static TheoryData<OnnxType, bool> IdentityCases()
    {
        var cases = new TheoryData<OnnxType, bool>();
        foreach (var type in Enum.GetValues<OnnxType>())
        {
            cases.Add(type, false);
            cases.Add(type, true);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(IdentityCases))]
    public async Task IdentityModel_ReturnsItsInputExactly(OnnxType type, bool raw)
    {
        var dataType = ToDataType(type);
        await using var server = await RunningServer.StartAsync(ModelZoo.IdentityModelName(type));
        var input = Tile(TestTensors.Sample(dataType, "input"), [2, 4]);
        var request = Request(server.Options.ModelName, raw || !TypedContentsCodec.HasTypedField(dataType), input);

        var response = await server.Grpc.ModelInferAsync(request).ResponseAsync.WithTimeout();

        var output = Assert.Single(response.Outputs);
        Assert.Equal((dataType.WireName(), "2,4"), (output.Datatype, string.Join(",", output.Shape)));
        var header = TensorHeader.Parse("outputs[0]", "input", output.Datatype, [.. output.Shape]);
        var decoded = response.RawOutputContents.Count > 0
            ? RawContentsCodec.Decode(header, "raw_output_contents[0]", response.RawOutputContents[0].Memory)
            : TypedContentsCodec.Decode(header, output.Contents);
        TestTensors.AssertEqual(input, decoded);
        Assert.Equal(request.RawInputContents.Count > 0, response.RawOutputContents.Count > 0);
    }

    [Fact]
    public async Task CastModel_AnswersEveryTypeAndRawWhenAnOutputHasNoTypedField()
    {
        await using var server = await RunningServer.StartAsync(ModelZoo.CastFp32);
        var response = await server.Grpc.ModelInferAsync(Requests.Fp32(ModelZoo.CastFp32, "input", [1.7f, -2.5f, 0f, 300f], [1, 4], raw: false)).ResponseAsync.WithTimeout();

        Assert.Equal(["fp16", "fp64", "int64", "int32", "int8", "uint8", "bool"], response.Outputs.Select(o => o.Name));
        Assert.Equal(7, response.RawOutputContents.Count);
        Assert.Equal(new[] { (Half)1.7f, (Half)(-2.5f), (Half)0f, (Half)300f }, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(response.RawOutputContents[0].Span).ToArray());
        Assert.Equal(new long[] { 1, -2, 0, 300 }, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(response.RawOutputContents[2].Span).ToArray());
        Assert.Equal(new byte[] { 1, 1, 0, 1 }, response.RawOutputContents[6].ToByteArray());
    }

    [Fact]
    public async Task AddSubModel_AnswersOnlyTheRequestedOutputs()
    {
        await using var server = await RunningServer.StartAsync(ModelZoo.AddSubModelName(OnnxType.Int32));
        var request = Request(server.Options.ModelName, raw: false, TestTensors.Of("input0", DataType.Int32, [1, 4], 1, 2, 3, 4), TestTensors.Of("input1", DataType.Int32, [1, 4], 10, 20, 30, 40));
        request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "difference" });

        var response = await server.Grpc.ModelInferAsync(request).ResponseAsync.WithTimeout();

        var output = Assert.Single(response.Outputs);
        Assert.Equal("difference", output.Name);
        Assert.Equal([-9, -18, -27, -36], output.Contents.IntContents);

        var body = new JsonObject
        {
            ["inputs"] = new JsonArray(
                new JsonObject { ["name"] = "input0", ["datatype"] = "INT32", ["shape"] = new JsonArray(1, 4), ["data"] = new JsonArray(1, 2, 3, 4) },
                new JsonObject { ["name"] = "input1", ["datatype"] = "INT32", ["shape"] = new JsonArray(1, 4), ["data"] = new JsonArray(10, 20, 30, 40) }),
            ["outputs"] = new JsonArray(new JsonObject { ["name"] = "sum" }),
        };
        var (status, json) = await Requests.PostAsync(server.Http, $"/v2/models/{server.Options.ModelName}/infer", body);
        Assert.Equal(200, status);
        var sum = Assert.Single(json.GetProperty("outputs").EnumerateArray());
        Assert.Equal("sum", sum.GetProperty("name").GetString());
        Assert.Equal([11, 22, 33, 44], sum.GetProperty("data").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public async Task FixedFirstDimension_IsServedWithoutBatching()
    {
        await using var server = await RunningServer.StartAsync(ModelZoo.FixedShape);
        var metadata = await server.Grpc.ModelMetadataAsync(new ModelMetadataRequest { Name = ModelZoo.FixedShape }).ResponseAsync.WithTimeout();
        Assert.Equal("2,4", string.Join(",", metadata.Inputs[0].Shape));

        var values = new float[] { 1, 2, 3, 4, 5, 6, 7, 8 };
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            server.Grpc.ModelInferAsync(Requests.Fp32(ModelZoo.FixedShape, "input", values, [2, 4], raw: false)).ResponseAsync)).WithTimeout();
        Assert.All(answers, a => Assert.Equal(values.Select(v => v * 2), a.Outputs[0].Contents.Fp32Contents));

        var (status, json) = await Requests.PostAsync(server.Http, $"/v2/models/{ModelZoo.FixedShape}/infer", Requests.Json("input", "FP32", [1, 4], [1, 2, 3, 4]));
        Assert.Equal(400, status);
        Assert.Contains("shape[0] is 1", json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BytesOverHttp_AreUtf8Strings()
    {
        await using var server = await RunningServer.StartAsync(ModelZoo.IdentityModelName(OnnxType.Bytes));
        var (status, json) = await Requests.PostAsync(server.Http, $"/v2/models/{server.Options.ModelName}/infer", Requests.Json("input", "BYTES", [1, 4], ["a", "", "ünï", "d"]));
        Assert.Equal(200, status);
        Assert.Equal(["a", "", "ünï", "d"], json.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(e => e.GetString()));
    }

    internal static ModelInferRequest Request(string model, bool raw, params TensorData[] inputs)
    {
        var request = new ModelInferRequest { ModelName = model };
        foreach (var input in inputs)
        {
            var tensor = new ModelInferRequest.Types.InferInputTensor { Name = input.Name, Datatype = input.DataType.WireName() };
            tensor.Shape.AddRange(input.Shape);
            if (raw)
            {
                request.RawInputContents.Add(ByteString.CopyFrom(RawContentsCodec.Encode(input)));
            }
            else
            {
                tensor.Contents = TypedContentsCodec.Encode(input);
            }

            request.Inputs.Add(tensor);
        }

        return request;
    }

    private static TensorData Tile(TensorData sample, long[] shape)
    {
        var repeat = (int)(shape[0] * shape[1] / sample.ElementCount);
        return sample.DataType == DataType.Bytes
            ? TensorData.OfStrings(sample.Name, shape, [.. Enumerable.Repeat(sample.Strings, repeat).SelectMany(s => s)])
            : TensorData.Numeric(sample.Name, sample.DataType, shape, [.. Enumerable.Repeat(sample.Raw, repeat).SelectMany(b => b)]);
    }

    private static DataType ToDataType(OnnxType type) =>
        DataTypes.TryParse(type.ToString().ToUpperInvariant(), out var dataType) ? dataType : throw new ArgumentException(type.ToString());
}
