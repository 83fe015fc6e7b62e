using Grpc.Core;

namespace MigInfer.InferenceServer.Tensors;

/// <summary>The one mapping from <see cref="ErrorKind"/> to gRPC and HTTP status codes.</summary>
internal static class ErrorMapping
{
    public static StatusCode ToGrpc(this ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidArgument => StatusCode.InvalidArgument,
        ErrorKind.NotFound => StatusCode.NotFound,
        ErrorKind.Unavailable => StatusCode.Unavailable,
        ErrorKind.QueueFull or ErrorKind.MessageTooLarge => StatusCode.ResourceExhausted,
        ErrorKind.DeadlineExceeded => StatusCode.DeadlineExceeded,
        ErrorKind.Cancelled => StatusCode.Cancelled,
        _ => StatusCode.Internal,
    };

    public static int ToHttp(this ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidArgument => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.QueueFull => StatusCodes.Status429TooManyRequests,
        ErrorKind.MessageTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorKind.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        ErrorKind.Cancelled => StatusCodes.Status499ClientClosedRequest,
        _ => StatusCodes.Status500InternalServerError,
    };
}
