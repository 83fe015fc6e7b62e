using System.Net;
using System.Net.Sockets;

namespace MigInfer.Cli.Local;

/// <summary>
/// Chooses loopback ports for the slice servers before they start, so every server can be told its
/// peers' addresses. From a base port, ports are taken in order and must be free; without one, the
/// operating system picks them.
/// </summary>
internal static class PortAllocator
{
    public static IReadOnlyList<int> Allocate(int count, int? basePort)
    {
        if (basePort is { } first)
        {
            var ports = Enumerable.Range(first, count).ToList();
            var busy = ports.FirstOrDefault(p => !IsFree(p));
            return busy == 0 ? ports : throw new Planning.Documents.DocumentException($"--base-port {first}: port {busy} is in use (local mode needs ports {first}-{first + count - 1})");
        }

        // Hold every listener until all are chosen, so the system never hands out one port twice.
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToList();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
