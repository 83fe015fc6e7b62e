using Grpc.Core;
using MigInfer.InferenceServer.Protocol;

namespace MigInfer.InferenceServer.Grpc;

/// <summary>
/// How ASP.NET Core gRPC binds <see cref="InferenceGrpcService"/> (through its <see cref="BindServiceMethodAttribute"/>):
/// the generated definitions through a <see cref="PooledRequestBinder"/>. Reflection reads <see cref="Descriptor"/>.
/// </summary>
internal static class InferenceServiceBinding
{
    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor => GRPCInferenceService.Descriptor;

    public static void BindService(ServiceBinderBase binder, GRPCInferenceService.GRPCInferenceServiceBase? service) =>
        GRPCInferenceService.BindService(new PooledRequestBinder(binder), service);
}
