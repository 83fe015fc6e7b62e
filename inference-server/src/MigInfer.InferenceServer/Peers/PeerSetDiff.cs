using System.Net;

namespace MigInfer.InferenceServer.Peers;

/// <summary>What changes when the router's peers go from the ids it has to a wanted set of endpoints.</summary>
/// <param name="Added">Endpoints wanted and not linked yet, each once, in the wanted order.</param>
/// <param name="Removed">Ids linked and no longer wanted.</param>
internal sealed record PeerSetDiff(IReadOnlyList<DnsEndPoint> Added, IReadOnlyList<string> Removed)
{
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0;

    /// <summary>The change from <paramref name="current"/> (link ids) to <paramref name="wanted"/>; endpoints are compared by <see cref="PeerLink.IdOf"/>.</summary>
    public static PeerSetDiff Between(IEnumerable<string> current, IEnumerable<DnsEndPoint> wanted)
    {
        var have = current.ToHashSet(StringComparer.Ordinal);
        var want = new HashSet<string>(StringComparer.Ordinal);
        var added = new List<DnsEndPoint>();
        foreach (var endPoint in wanted)
        {
            var id = PeerLink.IdOf(endPoint);
            if (want.Add(id) && !have.Contains(id))
            {
                added.Add(endPoint);
            }
        }

        return new PeerSetDiff(added, [.. have.Where(id => !want.Contains(id)).Order(StringComparer.Ordinal)]);
    }
}
