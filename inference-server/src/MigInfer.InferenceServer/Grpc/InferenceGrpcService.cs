using System.Reflection;
using Grpc.Core;
using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Protocol;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Grpc;

/// <summary>The KServe v2 gRPC service: maps messages and delegates to <see cref="InferenceEngine"/>.</summary>
[BindServiceMethod(typeof(InferenceServiceBinding), nameof(InferenceServiceBinding.BindService))]
internal sealed class InferenceGrpcService(InferenceEngine engine) : GRPCInferenceService.GRPCInferenceServiceBase
{
    /// <summary>The protocol extensions the server metadata advertises: <c>GET /v2/slice</c>, the slice report the operator reads.</summary>
    public static IReadOnlyList<string> Extensions { get; } = ["miginfer_slice_report"];

    public static string ServerVersion { get; } =
        typeof(InferenceGrpcService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";

    public override Task<ServerLiveResponse> ServerLive(ServerLiveRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerLiveResponse { Live = true });

    public override Task<ServerReadyResponse> ServerReady(ServerReadyRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerReadyResponse { Ready = engine.State == EngineState.Ready });

    public override Task<ModelReadyResponse> ModelReady(ModelReadyRequest request, ServerCallContext context)
    {
        engine.CheckServed(request.Name, request.Version);
        return Task.FromResult(new ModelReadyResponse { Ready = engine.IsModelReady(request.Name, request.Version) });
    }

    public override Task<ServerMetadataResponse> ServerMetadata(ServerMetadataRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerMetadataResponse { Name = "miginfer", Version = ServerVersion, Extensions = { Extensions } });

    public override Task<ModelMetadataResponse> ModelMetadata(ModelMetadataRequest request, ServerCallContext context)
    {
        var signature = engine.Find(request.Name, request.Version);
        var response = new ModelMetadataResponse { Name = request.Name, Platform = ModelPlatform.Name };
        response.Versions.Add(engine.Options.ModelVersion);
        response.Inputs.AddRange(signature.Inputs.Select(ToMetadata));
        response.Outputs.AddRange(signature.Outputs.Select(ToMetadata));
        return Task.FromResult(response);
    }

    /// <summary>
    /// Runs one request; its pooled raw input contents go back to the pool once it is answered. Should the answer be an
    /// error while the request's batch still runs, the next request may reuse those arrays under that batch: only
    /// the abandoned request's own rows can change, and its outputs are discarded.
    /// </summary>
    public override async Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context)
    {
        try
        {
            var inferRequest = GrpcTensorMapper.ToInferRequest(request);
            DateTimeOffset? deadline = context.Deadline == DateTime.MaxValue ? null : new DateTimeOffset(context.Deadline, TimeSpan.Zero);
            var result = await engine.InferAsync(inferRequest, deadline, context.CancellationToken).ConfigureAwait(false);
            return GrpcTensorMapper.ToResponse(request, engine.Options.ModelVersion, result);
        }
        finally
        {
            ModelInferRequestReader.Release(request, RequestBufferPool.Shared);
        }
    }

    private static ModelMetadataResponse.Types.TensorMetadata ToMetadata(TensorSpec spec)
    {
        var metadata = new ModelMetadataResponse.Types.TensorMetadata { Name = spec.Name, Datatype = spec.DataType.WireName() };
        metadata.Shape.AddRange(spec.Shape);
        return metadata;
    }
}
