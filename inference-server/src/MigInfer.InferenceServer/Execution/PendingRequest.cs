using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Execution;

/// <summary>A queued request and the one completion its caller waits for.</summary>
internal sealed class PendingRequest(ScheduledRequest request)
{
    private readonly TaskCompletionSource<IReadOnlyList<TensorData>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ScheduledRequest Request { get; } = request;

    public LinkedListNode<PendingRequest>? Node { get; set; }

    public CancellationTokenRegistration Registration { get; set; }

    public Task<IReadOnlyList<TensorData>> Result => _completion.Task;

    public void Complete(IReadOnlyList<TensorData> outputs)
    {
        Registration.Dispose();
        _completion.TrySetResult(outputs);
    }

    public void Fail(InferenceException error)
    {
        Registration.Dispose();
        _completion.TrySetException(error);
    }
}
