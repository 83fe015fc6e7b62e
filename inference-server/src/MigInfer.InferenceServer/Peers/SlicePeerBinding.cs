using Grpc.Core;
using MigInfer.InferenceServer.Grpc;
using MigInfer.InferenceServer.Protocol.Peer;

namespace MigInfer.InferenceServer.Peers;

/// <summary>
/// How ASP.NET Core gRPC binds <see cref="SlicePeerService"/> (through its <see cref="BindServiceMethodAttribute"/>):
/// the generated definitions through a <see cref="PooledRequestBinder"/>. Reflection reads <see cref="Descriptor"/>.
/// </summary>
internal static class SlicePeerBinding
{
    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor => SlicePeer.Descriptor;

    public static void BindService(ServiceBinderBase binder, SlicePeer.SlicePeerBase? service) =>
        SlicePeer.BindService(new PooledRequestBinder(binder), service);
}
