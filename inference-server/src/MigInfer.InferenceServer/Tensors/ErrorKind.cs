namespace MigInfer.InferenceServer.Tensors;

/// <summary>Why a request failed; mapped once to a gRPC status and an HTTP status.</summary>
internal enum ErrorKind
{
    InvalidArgument,
    NotFound,
    Unavailable,
    QueueFull,
    MessageTooLarge,
    DeadlineExceeded,
    Cancelled,
    Internal,
}
