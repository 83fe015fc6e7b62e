using Grpc.Core;
using MigInfer.InferenceServer.Grpc;
using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Protocol.Peer;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Peers;

/// <summary>
/// The peer side of <c>miginfer_peer.proto</c>: tells other servers of the service what this slice is,
/// streams its backlog every 25 ms (twice per the 50 ms the design asks for, so one late report does not
/// look like a gap), and executes forwarded requests on this slice only.
/// </summary>
[BindServiceMethod(typeof(SlicePeerBinding), nameof(SlicePeerBinding.BindService))]
internal sealed class SlicePeerService(InferenceEngine engine, TimeProvider time, IHostApplicationLifetime lifetime) : SlicePeer.SlicePeerBase
{
    private static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(25);

    public override Task<HelloResponse> Hello(HelloRequest request, ServerCallContext context)
    {
        var options = engine.Options;
        if (engine.State != EngineState.Ready)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"model '{options.ModelName}' is {engine.State.ToString().ToLowerInvariant()}"));
        }

        if (request.ModelName != options.ModelName)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"this server serves model '{options.ModelName}', not '{request.ModelName}'"));
        }

        return Task.FromResult(new HelloResponse
        {
            ModelName = options.ModelName,
            ModelVersion = options.ModelVersion,
            SliceProfile = options.SliceProfile,
            MaxBatchSize = engine.MaxBatchSize,
        });
    }

    public override async Task Watch(WatchRequest request, IServerStreamWriter<BacklogReport> responseStream, ServerCallContext context)
    {
        // Ends when the host stops (after draining), so open watches never hold up shutdown.
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        using var timer = new PeriodicTimer(ReportInterval, time);
        try
        {
            do
            {
                await responseStream.WriteAsync(engine.Report(), ended.Token).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(ended.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // The watcher went away or this server is stopping.
        }
    }

    /// <summary>Runs a forwarded request; its pooled raw input contents go back to the pool once it is answered (see <see cref="InferenceGrpcService.ModelInfer"/>).</summary>
    public override async Task Infer(PeerInferRequest request, IServerStreamWriter<PeerInferEvent> responseStream, ServerCallContext context)
    {
        try
        {
            var inferRequest = GrpcTensorMapper.ToInferRequest(request.Request);
            var deadline = time.GetUtcNow() + TimeSpan.FromMicroseconds(Math.Max(0, request.DeadlineRemainingUs));
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var infer = engine.InferAsync(inferRequest, deadline, context.CancellationToken, forwarded: true, onStarted: () => started.TrySetResult());
            await Task.WhenAny(started.Task, infer).ConfigureAwait(false);
            if (started.Task.IsCompleted)
            {
                await responseStream.WriteAsync(new PeerInferEvent { Started = true, Backlog = engine.Report() }).ConfigureAwait(false);
            }

            var result = await infer.ConfigureAwait(false);
            var response = GrpcTensorMapper.ToResponse(request.Request, engine.Options.ModelVersion, result);
            await responseStream.WriteAsync(new PeerInferEvent { Result = response, Backlog = engine.Report() }).ConfigureAwait(false);
        }
        catch (InferenceException ex)
        {
            throw new RpcException(new Status(ex.Kind.ToGrpc(), ex.Message));
        }
        finally
        {
            ModelInferRequestReader.Release(request.Request, RequestBufferPool.Shared);
        }
    }
}
