using Google.Protobuf;
using Grpc.Core;
using MigInfer.InferenceServer.Protocol;
using MigInfer.InferenceServer.Protocol.Peer;

namespace MigInfer.InferenceServer.Grpc;

/// <summary>
/// Passes the generated method definitions of a service on to ASP.NET Core gRPC, except that the two methods that
/// carry tensors, ModelInfer and a peer's forwarded Infer, read their requests with <see cref="ModelInferRequestReader"/>
/// (raw input contents in <see cref="RequestBufferPool.Shared"/>). Used by <see cref="InferenceServiceBinding"/> and
/// <see cref="Peers.SlicePeerBinding"/>; the services give the arrays back when they have answered.
/// </summary>
internal sealed class PooledRequestBinder(ServiceBinderBase inner) : ServiceBinderBase
{
    private static readonly Marshaller<ModelInferRequest> ModelInferRequests =
        Marshallers.Create(Serialize, context => ModelInferRequestReader.Parse(context.PayloadAsReadOnlySequence(), RequestBufferPool.Shared));

    private static readonly Marshaller<PeerInferRequest> PeerInferRequests =
        Marshallers.Create(Serialize, context => ModelInferRequestReader.ParsePeer(context.PayloadAsReadOnlySequence(), RequestBufferPool.Shared));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(method is Method<ModelInferRequest, ModelInferResponse> infer ? (Method<TRequest, TResponse>)(object)With(infer, ModelInferRequests) : method, handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(method is Method<PeerInferRequest, PeerInferEvent> infer ? (Method<TRequest, TResponse>)(object)With(infer, PeerInferRequests) : method, handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(method, handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(method, handler);

    private static Method<TRequest, TResponse> With<TRequest, TResponse>(Method<TRequest, TResponse> method, Marshaller<TRequest> requests) =>
        new(method.Type, method.ServiceName, method.Name, requests, method.ResponseMarshaller);

    private static void Serialize<T>(T message, SerializationContext context)
        where T : IBufferMessage
    {
        context.SetPayloadLength(message.CalculateSize());
        message.WriteTo(context.GetBufferWriter());
        context.Complete();
    }
}
