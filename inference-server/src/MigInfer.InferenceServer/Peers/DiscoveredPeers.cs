using System.Collections.Frozen;
using System.Net;

namespace MigInfer.InferenceServer.Peers;

/// <summary>
/// The peers discovery found last (one per server): written by <see cref="PeerDiscoveryService"/>, read by
/// the router, which hears of each change once. Empty when peers come only from the static list.
/// </summary>
internal sealed class DiscoveredPeers
{
    private readonly Lock _gate = new();
    private readonly List<Action<IReadOnlySet<DnsEndPoint>>> _subscribers = [];
    private IReadOnlySet<DnsEndPoint> _current = FrozenSet<DnsEndPoint>.Empty;

    public IReadOnlySet<DnsEndPoint> Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Replaces the set; returns false and tells nobody when it equals the current one.</summary>
    public bool Publish(IEnumerable<DnsEndPoint> peers)
    {
        var next = peers.ToFrozenSet();
        lock (_gate)
        {
            if (next.SetEquals(_current))
            {
                return false;
            }

            _current = next;

            // Under the lock, so subscribers see the changes one at a time and in order.
            foreach (var subscriber in _subscribers)
            {
                subscriber(next);
            }

            return true;
        }
    }

    /// <summary>Calls <paramref name="onChanged"/> with the current set now and with each new set after.</summary>
    public void Subscribe(Action<IReadOnlySet<DnsEndPoint>> onChanged)
    {
        lock (_gate)
        {
            _subscribers.Add(onChanged);
            onChanged(_current);
        }
    }

    public void Unsubscribe(Action<IReadOnlySet<DnsEndPoint>> onChanged)
    {
        lock (_gate)
        {
            _subscribers.Remove(onChanged);
        }
    }
}
