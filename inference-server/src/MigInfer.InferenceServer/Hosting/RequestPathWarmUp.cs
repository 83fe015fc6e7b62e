using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using MigInfer.InferenceServer.Configuration;
using MigInfer.InferenceServer.Execution;
using MigInfer.InferenceServer.Grpc;
using MigInfer.InferenceServer.Http;
using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Protocol;
using MigInfer.InferenceServer.Protocol.Peer;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Hosting;

/// <summary>
/// Before the server says ready, sends its own listeners one batch-1 request of zeros down each request path: HTTP/JSON,
/// gRPC with raw contents, gRPC with typed contents (when every input has a typed field) and a peer's forward. The
/// first request on a path pays for compiling it (Kestrel, JSON, protobuf, routing and batching; about 40 ms on the
/// tiny MLP even with ReadyToRun, docs/benchmarks.md "Cold start"), which would otherwise miss a tight SLO on every new
/// slice. The requests carry <see cref="InferRequest.WarmUpParameter"/>: the engine serves them, and only them, before it
/// is ready, on this slice only, and does not count them (it is warming up). A request that fails is reported, not
/// fatal: warm-up only saves time.
/// </summary>
internal static class RequestPathWarmUp
{
    /// <summary>The longest the warm-up may hold up readiness, whatever the requests are waiting for.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <summary>Runs the warm-up requests; returns how long they took and a line per failed one.</summary>
    public static async Task<(TimeSpan Elapsed, IReadOnlyList<string> Failures)> RunAsync(Listeners listeners, ServerOptions options, ModelSignature signature, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        ValidatedInputs inputs;
        try
        {
            inputs = signature.Validate(ZeroInputs.For(signature, 1));
        }
        catch (InferenceException ex)
        {
            return (Stopwatch.GetElapsedTime(started), [$"no request of zeros fits the model: {ex.Message}"]);
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Limit);
        var limited = bounded.Token;

        // Any failure but the server stopping becomes a line in failures.
        var failures = new List<string>();
        async Task Attempt(string path, Func<Task> send)
        {
            if (bounded.IsCancellationRequested)
            {
                failures.Add($"{path}: not sent, the warm-up ran out of its {Limit.TotalSeconds:0} s");
                return;
            }

            try
            {
                await send().ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{path}: {ex.Message}");
            }
        }

        // Straight to this process: an HTTP(S)_PROXY in the pod's environment must not see these requests.
        using (var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://{Loopback(listeners.EndPoint(ListenerKind.Http))}") })
        {
            await Attempt("HTTP/JSON", async () =>
            {
                using var body = new ByteArrayContent(JsonBody(inputs.Tensors));
                body.Headers.ContentType = new("application/json");
                using var response = await http.PostAsync(new Uri($"/v2/models/{options.ModelName}/versions/{options.ModelVersion}/infer", UriKind.Relative), body, limited).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    throw new HttpRequestException($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(limited).ConfigureAwait(false)}");
                }
            }).ConfigureAwait(false);
        }

        using var channel = GrpcChannel.ForAddress($"http://{Loopback(listeners.EndPoint(ListenerKind.Grpc))}", new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { UseProxy = false } });
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        var raw = WarmUpRequest(GrpcTensorMapper.ToModelInferRequest(options.ModelName, options.ModelVersion, inputs.Tensors, raw: true));
        await Attempt("gRPC raw contents", () => client.ModelInferAsync(raw, cancellationToken: limited).ResponseAsync).ConfigureAwait(false);
        if (inputs.Tensors.All(t => TypedContentsCodec.HasTypedField(t.DataType)))
        {
            var typed = WarmUpRequest(GrpcTensorMapper.ToModelInferRequest(options.ModelName, options.ModelVersion, inputs.Tensors, raw: false));
            await Attempt("gRPC typed contents", () => client.ModelInferAsync(typed, cancellationToken: limited).ResponseAsync).ConfigureAwait(false);
        }

        await Attempt("peer forward", async () =>
        {
            var forward = new PeerInferRequest { Request = raw, DeadlineRemainingUs = (long)(options.Slo ?? TimeSpan.FromSeconds(10)).TotalMicroseconds };
            using var call = new SlicePeer.SlicePeerClient(channel).Infer(forward, cancellationToken: limited);
            await foreach (var _ in call.ResponseStream.ReadAllAsync(limited).ConfigureAwait(false))
            {
            }
        }).ConfigureAwait(false);

        return (Stopwatch.GetElapsedTime(started), failures);
    }

    /// <summary>Marks a request as the server's own, which it serves before it is ready.</summary>
    private static ModelInferRequest WarmUpRequest(ModelInferRequest request)
    {
        request.Parameters[InferRequest.WarmUpParameter] = new InferParameter { BoolParam = true };
        return request;
    }

    /// <summary>Where to reach a listener from this process: loopback for a wildcard address.</summary>
    private static IPEndPoint Loopback(IPEndPoint bound) =>
        bound.Address.Equals(IPAddress.Any) ? new IPEndPoint(IPAddress.Loopback, bound.Port)
        : bound.Address.Equals(IPAddress.IPv6Any) ? new IPEndPoint(IPAddress.IPv6Loopback, bound.Port)
        : bound;

    private static byte[] JsonBody(IReadOnlyList<TensorData> tensors)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("inputs");
            foreach (var tensor in tensors)
            {
                HttpJsonWriter.WriteTensor(writer, tensor);
            }

            writer.WriteEndArray();
            writer.WriteStartObject("parameters");
            writer.WriteBoolean(InferRequest.WarmUpParameter, true);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
