using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Peers;

/// <summary>
/// One request forwarded to a peer, answered exactly once: by the call's result or error, or by the
/// liveness sweep when the peer stops reporting. A null result without error means "retry elsewhere".
/// </summary>
internal sealed class PeerForward(PeerLink link, long id) : IDisposable
{
    private readonly TaskCompletionSource<(InferResult? Result, InferenceException? Error)> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _call = new();
    private int _started;

    /// <summary>The peer it was sent to, as routing found it (the link may leave the router before the call ends).</summary>
    public PeerLink Link { get; } = link;

    public string PeerId => Link.Id;

    public long Id { get; } = id;

    /// <summary>Cancels the call to the peer when the forward is answered otherwise or the client gives up.</summary>
    public CancellationToken CallCancelled => _call.Token;

    /// <summary>True once the peer said its slice began executing the request.</summary>
    public bool Started => Volatile.Read(ref _started) == 1;

    public Task<(InferResult? Result, InferenceException? Error)> Outcome => _outcome.Task;

    public void MarkStarted() => Volatile.Write(ref _started, 1);

    public bool TrySucceed(InferResult result) => _outcome.TrySetResult((result, null));

    public bool TryFail(InferenceException error) => _outcome.TrySetResult((null, error));

    public bool TryRetry() => _outcome.TrySetResult((null, null));

    public void CancelCall()
    {
        try
        {
            _call.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call already ended; nothing left to cancel.
        }
    }

    public void Dispose() => _call.Dispose();
}
