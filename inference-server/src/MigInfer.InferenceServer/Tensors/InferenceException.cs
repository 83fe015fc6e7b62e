namespace MigInfer.InferenceServer.Tensors;

/// <summary>A request that cannot be served, with a message for the client.</summary>
internal sealed class InferenceException(ErrorKind kind, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public ErrorKind Kind { get; } = kind;

    public static InferenceException Invalid(string message) => new(ErrorKind.InvalidArgument, message);
}
