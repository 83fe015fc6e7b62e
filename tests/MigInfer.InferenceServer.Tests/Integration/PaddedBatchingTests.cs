using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.ML.OnnxRuntime;
using MigInfer.InferenceServer.Protocol;
using MigInfer.InferenceServer.Tests.Fixtures;
using MigInfer.OnnxModels;

namespace MigInfer.InferenceServer.Tests.Integration;

/// <summary>Requests of different lengths along a model's paddable dimension share one execution and each gets its own answer back.</summary>
public sealed class PaddedBatchingTests
{
    [Fact]
    public async Task LengthsInOneBucket_RunAsOneBatch_AndEachAnswerIsCroppedToItsLength()
    {
        await using var server = await RunningServer.StartAsync(RunningServer.OptionsFor(ModelZoo.SequenceDouble) with { MaxQueueDelay = TimeSpan.FromMilliseconds(300) });
        float[][] requests = [[1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11, 12, 13, 14]];
        var before = await ExecutionsAsync(server);

        var answers = await Task.WhenAll(requests.Select(r =>
            server.Grpc.ModelInferAsync(Requests.Fp32(ModelZoo.SequenceDouble, "input", r, [1, r.Length], raw: true)).ResponseAsync)).WithTimeout();

        for (var i = 0; i < requests.Length; i++)
        {
            Assert.Equal([1L, requests[i].Length], answers[i].Outputs[0].Shape);
            Assert.Equal(requests[i].Select(v => 2 * v), Requests.Fp32Output(answers[i], 0));
        }

        // Lengths 3 and 4 share the bucket 4 and one execution; 7 is in bucket 8 and runs alone.
        Assert.Equal(2, await ExecutionsAsync(server) - before);
    }

    [Fact]
    public async Task Bert_PaddedInABatch_GivesTheLogitsOfTheRequestAlone()
    {
        var path = Path.Combine(Scratch.NewFolder("padding"), "bert.onnx");
        ModelZoo.Write(ModelZoo.BertBase, path, scale: ModelScale.Reduced);
        await using var server = await RunningServer.StartAsync(RunningServer.OptionsFor(ModelZoo.BertBase) with { ModelPath = path, MaxQueueDelay = TimeSpan.FromMilliseconds(300) });
        long[][] sequences = [[101, 7, 42, 9, 102], [101, 5, 17, 33, 250, 8, 102], [101, 102]];
        var before = await ExecutionsAsync(server);

        var answers = await Task.WhenAll(sequences.Select(s => server.Grpc.ModelInferAsync(Bert(s, s.Length)).ResponseAsync)).WithTimeout();

        using var alone = new InferenceSession(path);
        for (var i = 0; i < sequences.Length; i++)
        {
            var expected = RunAlone(alone, sequences[i]);
            var actual = Requests.Fp32Output(answers[i], 0);
            Assert.Equal([1L, 2L], answers[i].Outputs[0].Shape);
            for (var k = 0; k < expected.Length; k++)
            {
                Assert.Equal(expected[k], actual[k], 4);
            }
        }

        // 5 and 7 tokens share the bucket 8; 2 tokens is a bucket of its own.
        Assert.Equal(2, await ExecutionsAsync(server) - before);
    }

    [Fact]
    public async Task InputsDisagreeingOnTheSequenceLength_AreInvalidArgument()
    {
        var path = Path.Combine(Scratch.NewFolder("padding"), "bert.onnx");
        ModelZoo.Write(ModelZoo.BertBase, path, scale: ModelScale.Reduced);
        await using var server = await RunningServer.StartAsync(RunningServer.OptionsFor(ModelZoo.BertBase) with { ModelPath = path });

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Grpc.ModelInferAsync(Bert([101, 7, 9, 102], maskLength: 6)).ResponseAsync).WithTimeout();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("input 'attention_mask': shape[1] (sequence) is 6 but input 'input_ids' has shape[1] = 4", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SequenceLongerThanTheModelTakes_IsInvalidArgument_AndTheLongestIsServed()
    {
        // The zoo's BERT declares sequence=512 (its position table's rows); ONNX Runtime would fail at 513.
        var path = Path.Combine(Scratch.NewFolder("limits"), "bert.onnx");
        ModelZoo.Write(ModelZoo.BertBase, path, scale: ModelScale.Reduced);
        await using var server = await RunningServer.StartAsync(RunningServer.OptionsFor(ModelZoo.BertBase) with { ModelPath = path, MaxBatchSize = 2 });

        var longest = await server.Grpc.ModelInferAsync(Bert([.. Enumerable.Range(0, 512).Select(i => (long)i % 1000)], maskLength: 512)).ResponseAsync.WithTimeout();
        var error = await Assert.ThrowsAsync<RpcException>(() => server.Grpc.ModelInferAsync(Bert(new long[513], maskLength: 513)).ResponseAsync).WithTimeout();
        var (status, json) = await Requests.PostAsync(server.Http, $"/v2/models/{ModelZoo.BertBase}/infer", BertJson(600));

        Assert.Equal([1L, 2L], longest.Outputs[0].Shape);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("input 'input_ids': shape[1] (sequence) is 513 but model 'bert_base' takes at most 512", error.Status.Detail);
        Assert.Equal((400, "input 'input_ids': shape[1] (sequence) is 600 but model 'bert_base' takes at most 512"), (status, json.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task ServerLimit_OverridesTheModels_AndAnUnknownNameFailsTheLoadNamingIt()
    {
        var path = Path.Combine(Scratch.NewFolder("limits"), "bert.onnx");
        ModelZoo.Write(ModelZoo.BertBase, path, scale: ModelScale.Reduced);
        var options = RunningServer.OptionsFor(ModelZoo.BertBase) with { ModelPath = path };
        await using (var server = await RunningServer.StartAsync(options with { MaxDims = new Dictionary<string, long> { ["sequence"] = 8 } }))
        {
            await server.Grpc.ModelInferAsync(Bert(new long[8], maskLength: 8)).ResponseAsync.WithTimeout();
            var error = await Assert.ThrowsAsync<RpcException>(() => server.Grpc.ModelInferAsync(Bert(new long[9], maskLength: 9)).ResponseAsync).WithTimeout();
            Assert.Contains("is 9 but model 'bert_base' takes at most 8", error.Status.Detail, StringComparison.Ordinal);
        }

        await using var wrong = await RunningServer.StartAsync(options with { MaxDims = new Dictionary<string, long> { ["tokens"] = 8 } }, waitForModel: false);
        var failure = await Assert.ThrowsAsync<NotSupportedException>(() => wrong.App.ModelLoading.WithTimeout());
        Assert.StartsWith("--max-dims (MIGINFER_MAX_DIMS): 'tokens' is not a symbolic dimension of any input past the first (inputs: input_ids[batch,sequence], attention_mask[batch,sequence])", failure.Message, StringComparison.Ordinal);
    }

    private static JsonObject BertJson(int length)
    {
        JsonArray Ones() => [.. Enumerable.Repeat(1, length).Select(v => JsonValue.Create(v))];
        return new JsonObject
        {
            ["inputs"] = new JsonArray(
                new JsonObject { ["name"] = "input_ids", ["shape"] = new JsonArray(1, length), ["datatype"] = "INT64", ["data"] = Ones() },
                new JsonObject { ["name"] = "attention_mask", ["shape"] = new JsonArray(1, length), ["datatype"] = "INT64", ["data"] = Ones() }),
        };
    }

    private static ModelInferRequest Bert(long[] ids, int maskLength)
    {
        var request = new ModelInferRequest { ModelName = ModelZoo.BertBase };
        foreach (var (name, values) in new[] { ("input_ids", ids), ("attention_mask", Enumerable.Repeat(1L, maskLength).ToArray()) })
        {
            var tensor = new ModelInferRequest.Types.InferInputTensor { Name = name, Datatype = "INT64" };
            tensor.Shape.AddRange([1, values.Length]);
            request.Inputs.Add(tensor);
            request.RawInputContents.Add(ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())));
        }

        return request;
    }

    private static float[] RunAlone(InferenceSession session, long[] ids)
    {
        long[] shape = [1, ids.Length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, ids.Length).ToArray(), shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["input_ids", "attention_mask"], [idsValue, maskValue], ["logits"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static async Task<double> ExecutionsAsync(RunningServer server) => await server.MetricAsync("nv_inference_exec_count{") ?? 0;
}
