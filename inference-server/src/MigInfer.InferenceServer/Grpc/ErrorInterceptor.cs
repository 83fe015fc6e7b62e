using Grpc.Core;
using Grpc.Core.Interceptors;
using MigInfer.InferenceServer.Hosting;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Grpc;

/// <summary>Turns <see cref="InferenceException"/> into the matching gRPC status; anything unexpected becomes INTERNAL and is logged.</summary>
internal sealed class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (InferenceException ex)
        {
            throw new RpcException(new Status(ex.Kind.ToGrpc(), ex.Message));
        }
        catch (Exception ex) when (ex is not RpcException and not OperationCanceledException)
        {
            logger.UnexpectedFailure(ex, context.Method);
            throw new RpcException(new Status(StatusCode.Internal, $"internal error: {ex.Message}"));
        }
    }
}
