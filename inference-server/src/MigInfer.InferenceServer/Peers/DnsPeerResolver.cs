using System.Net;
using System.Net.Sockets;

namespace MigInfer.InferenceServer.Peers;

/// <summary>
/// Resolves a headless Service's DNS name: one address per ready pod, each with the given gRPC port.
/// When the name has IPv4 and IPv6 addresses (a dual-stack Service) only the IPv4 ones are used, so a
/// pod is not counted twice.
/// </summary>
internal sealed class DnsPeerResolver(DnsEndPoint name) : IPeerResolver
{
    /// <summary>A lookup slower than the Service's DNS TTL (5 s) counts as failed; the next refresh tries again.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<IReadOnlyList<IPEndPoint>> ResolveAsync(CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(name.Host, cancellationToken).WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
        var family = addresses.Any(a => a.AddressFamily == AddressFamily.InterNetwork) ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        return [.. addresses.Where(a => a.AddressFamily == family).Distinct().Select(a => new IPEndPoint(a, name.Port))];
    }
}
