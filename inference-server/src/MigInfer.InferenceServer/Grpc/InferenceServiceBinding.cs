using Google.Protobuf;
using Grpc.Core;
using MigInfer.InferenceServer.Protocol;

namespace MigInfer.InferenceServer.Grpc;

/// <summary>
/// Binds <see cref="InferenceGrpcService"/> with the generated method definitions, except that ModelInfer reads its
/// request with <see cref="ModelInferRequestReader"/> (raw input contents in pooled arrays). ASP.NET Core gRPC finds
/// this class through the service's <see cref="BindServiceMethodAttribute"/>; reflection finds <see cref="Descriptor"/>.
/// </summary>
internal static class InferenceServiceBinding
{
    private static readonly Marshaller<ModelInferRequest> PooledRequests = Marshallers.Create(
        (request, context) =>
        {
            context.SetPayloadLength(request.CalculateSize());
            request.WriteTo(context.GetBufferWriter());
            context.Complete();
        },
        context => ModelInferRequestReader.Parse(context.PayloadAsReadOnlySequence(), RequestBufferPool.Shared));

    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor => GRPCInferenceService.Descriptor;

    public static void BindService(ServiceBinderBase binder, GRPCInferenceService.GRPCInferenceServiceBase? service) =>
        GRPCInferenceService.BindService(new Binder(binder), service);

    private sealed class Binder(ServiceBinderBase inner) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            if (method is Method<ModelInferRequest, ModelInferResponse> infer)
            {
                method = (Method<TRequest, TResponse>)(object)new Method<ModelInferRequest, ModelInferResponse>(
                    infer.Type, infer.ServiceName, infer.Name, PooledRequests, infer.ResponseMarshaller);
            }

            inner.AddMethod(method, handler);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(method, handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(method, handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(method, handler);
    }
}
