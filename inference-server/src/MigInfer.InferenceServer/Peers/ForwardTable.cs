using System.Collections.Concurrent;
using MigInfer.InferenceServer.Tensors;
using MigInfer.Scheduling;

namespace MigInfer.InferenceServer.Peers;

/// <summary>
/// The requests this router forwarded and a peer has not answered yet. Each is answered once: by whoever
/// takes it out of the table (its call, or the router when the peer was lost or left the service).
/// </summary>
internal sealed class ForwardTable
{
    private readonly ConcurrentDictionary<long, PeerForward> _forwards = new();
    private long _next;

    public bool IsEmpty => _forwards.IsEmpty;

    /// <summary>A new forward to <paramref name="link"/>, in the table until answered.</summary>
    public PeerForward Add(PeerLink link)
    {
        var forward = new PeerForward(link, Interlocked.Increment(ref _next));
        _forwards[forward.Id] = forward;
        return forward;
    }

    /// <summary>Takes a forward out; true for the one caller that now answers it.</summary>
    public bool TryTake(long id) => _forwards.TryRemove(id, out _);

    /// <summary>Cancels the calls of every forward still unanswered (stopping).</summary>
    public void CancelAll()
    {
        foreach (var forward in _forwards.Values)
        {
            forward.CancelCall();
        }
    }

    /// <summary>
    /// Answers the forwards of a peer that is gone (<paramref name="why"/> says how): those it never started are
    /// retried on another slice, those it started are answered UNAVAILABLE. Clears both lists.
    /// </summary>
    public void AnswerLost(List<ForwardRecord> notStarted, List<ForwardRecord> started, string why)
    {
        foreach (var record in notStarted.Concat(started))
        {
            if (_forwards.TryRemove(record.RequestId, out var forward))
            {
                if (record.Started)
                {
                    forward.TryFail(new InferenceException(ErrorKind.Unavailable, $"peer {record.PeerId} {why} after it started the request"));
                }
                else
                {
                    forward.TryRetry();
                }

                forward.CancelCall();
            }
        }

        notStarted.Clear();
        started.Clear();
    }
}
