using System.Net;
using System.Net.NetworkInformation;

namespace MigInfer.InferenceServer.Peers;

/// <summary>
/// Which discovered endpoint is this server itself: one with this server's gRPC port whose address is a
/// loopback address or an address of one of this host's network interfaces. In a pod that is the pod IP
/// the headless Service lists once this slice is ready; on one machine, servers differ by port.
/// </summary>
internal static class PeerSelfFilter
{
    public static bool IsSelf(IPEndPoint endPoint, int grpcPort, IReadOnlySet<IPAddress> localAddresses)
    {
        if (endPoint.Port != grpcPort)
        {
            return false;
        }

        var address = Normalize(endPoint.Address);
        return IPAddress.IsLoopback(address) || localAddresses.Contains(address);
    }

    /// <summary>The unicast addresses of this host's network interfaces; none when they cannot be read.</summary>
    public static IReadOnlySet<IPAddress> LocalAddresses()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(i => i.GetIPProperties().UnicastAddresses)
                .Select(a => Normalize(a.Address))
                .ToHashSet();
        }
        catch (NetworkInformationException)
        {
            return new HashSet<IPAddress>();
        }
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
