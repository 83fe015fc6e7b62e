using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Grpc.Net.Client;
using MigInfer.InferenceServer.Bench;
using MigInfer.InferenceServer.Protocol;
using MigInfer.OnnxModels;

// Server overhead: the same model and batch, a bare ONNX Runtime loop vs the server over loopback
// gRPC at the same concurrency, alternating phases so both see the same machine.
// Usage: MigInfer.InferenceServer.Bench [--model resnet50] [--scale reduced] [--batch 8]
//        [--concurrency 2] [--seconds 5] [--rounds 3] [--threads 1] [--warmup <seconds, default one round>]
// Warm-up: the first run at each batch after warming at batch 1 alone or at 1 and the maximum (FirstRuns).
// Usage: MigInfer.InferenceServer.Bench first-runs [--model resnet50] [--scale reduced] [--batch <maximum> 8]
//        [--probes 4,16] [--rounds <fresh sessions> 3] [--threads 1] [--sequence <other variable dimensions> 128]
//        [--longest <length: compare the server's warm-up without and with runs at this length>]
var firstRuns = args.FirstOrDefault() == "first-runs";
var options = args.Skip(firstRuns ? 1 : 0).Chunk(2).Where(p => p.Length == 2).ToDictionary(p => p[0].TrimStart('-'), p => p[1]);
string Get(string key, string fallback) => options.TryGetValue(key, out var value) ? value : fallback;
var model = Get("model", ModelZoo.ResNet50);
var scale = Enum.Parse<ModelScale>(Get("scale", "reduced"), ignoreCase: true);
var batch = int.Parse(Get("batch", "8"), CultureInfo.InvariantCulture);
var concurrency = int.Parse(Get("concurrency", "2"), CultureInfo.InvariantCulture);
var duration = TimeSpan.FromSeconds(double.Parse(Get("seconds", "5"), CultureInfo.InvariantCulture));
var rounds = int.Parse(Get("rounds", "3"), CultureInfo.InvariantCulture);
var threads = int.Parse(Get("threads", "1"), CultureInfo.InvariantCulture);
var warmup = TimeSpan.FromSeconds(double.Parse(Get("warmup", duration.TotalSeconds.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture));

var folder = Directory.CreateTempSubdirectory("miginfer-bench-").FullName;
AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
var path = Path.Combine(folder, model + ".onnx");
ModelZoo.Write(model, path, scale: scale);
if (firstRuns)
{
    var probes = Get("probes", "4,16").Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
    FirstRuns.Run(path, batch, probes, rounds, threads, int.Parse(Get("sequence", "128"), CultureInfo.InvariantCulture), options.TryGetValue("longest", out var longest) ? int.Parse(longest, CultureInfo.InvariantCulture) : null);
    return;
}

var spec = ModelZoo.Build(model, scale: scale).Card.Inputs[0];
long[] shape = [batch, .. spec.Shape.Skip(1).Select(d => d.Size ?? 1)];
var data = new float[shape.Aggregate(1L, (a, d) => a * d)];
for (var i = 0; i < data.Length; i++)
{
    data[i] = (i % 255) / 255f;
}

var request = new ModelInferRequest { ModelName = model };
var input = new ModelInferRequest.Types.InferInputTensor { Name = spec.Name, Datatype = "FP32" };
input.Shape.AddRange(shape);
request.Inputs.Add(input);
request.RawInputContents.Add(ByteString.CopyFrom(MemoryMarshal.AsBytes(data.AsSpan())));

using var bare = new BareSession(path, threads, spec.Name, shape, data);
using var server = await ServerChild.StartAsync(path, model, Math.Max(batch, 1), threads);
using var channel = GrpcChannel.ForAddress($"http://{server.GrpcAddress}", new GrpcChannelOptions { MaxReceiveMessageSize = null, MaxSendMessageSize = null });
var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
Func<Task> viaServer = async () => await client.ModelInferAsync(request);

// The full-size models take seconds to load and warm up: wait until the server says the model is ready.
using (var loading = new CancellationTokenSource(TimeSpan.FromMinutes(5)))
{
    while (!(await client.ModelReadyAsync(new ModelReadyRequest { Name = model }, cancellationToken: loading.Token)).Ready)
    {
        await Task.Delay(200, loading.Token);
    }
}

// Warm both paths (JIT tiers, connection, ONNX Runtime arenas, GC budgets) for as long as a round:
// a full-size model answers a few requests a second, and a one-second warm-up left its first round short.
await ClosedLoop.RunAsync(concurrency, warmup, bare.RunAsync);
await ClosedLoop.RunAsync(concurrency, warmup, viaServer);

var bareResults = new List<LoadResult>();
var serverResults = new List<LoadResult>();
for (var round = 0; round < rounds; round++)
{
    bareResults.Add(await ClosedLoop.RunAsync(concurrency, duration, bare.RunAsync));
    serverResults.Add(await ClosedLoop.RunAsync(concurrency, duration, viaServer));
}

var inv = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(inv, $"model {model} ({scale}), batch {batch}, concurrency {concurrency}, intra-op threads {threads}, {rounds} rounds of {duration.TotalSeconds} s after {warmup.TotalSeconds} s of warm-up, {Environment.ProcessorCount} cores"));
Console.WriteLine("| round | bare req/s | server req/s | ratio | bare p50 ms | server p50 ms | bare p99 ms | server p99 ms | added p99 ms |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
for (var round = 0; round < rounds; round++)
{
    var b = bareResults[round];
    var s = serverResults[round];
    Console.WriteLine(string.Create(inv, $"| {round + 1} | {b.Throughput:0.0} | {s.Throughput:0.0} | {s.Throughput / b.Throughput:0.000} | {b.P50:0.000} | {s.P50:0.000} | {b.P99:0.000} | {s.P99:0.000} | {s.P99 - b.P99:0.000} |"));
}

Console.WriteLine(string.Create(inv, $"| median | {Medians.Of(bareResults.Select(r => r.Throughput)):0.0} | {Medians.Of(serverResults.Select(r => r.Throughput)):0.0} | {Medians.Of(bareResults.Zip(serverResults, (b, s) => s.Throughput / b.Throughput)):0.000} | {Medians.Of(bareResults.Select(r => r.P50)):0.000} | {Medians.Of(serverResults.Select(r => r.P50)):0.000} | {Medians.Of(bareResults.Select(r => r.P99)):0.000} | {Medians.Of(serverResults.Select(r => r.P99)):0.000} | {Medians.Of(bareResults.Zip(serverResults, (b, s) => s.P99 - b.P99)):0.000} |"));

var (queueMs, computeMs, requestMs) = await server.BreakdownAsync();
Console.WriteLine(string.Create(inv, $"server side, mean per request over every phase: queue {queueMs:0.000} ms, execution {computeMs:0.000} ms, arrival to answer {requestMs:0.000} ms"));
