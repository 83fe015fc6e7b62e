using System.Net;
using System.Net.Sockets;

namespace MigInfer.InferenceServer.Tests.Fixtures;

/// <summary>
/// Latency tables under which batch 8 cannot meet the SLO on a 1g slice even after the online
/// correction's largest cut (one tenth), while batch 1 fits anywhere: small requests belong on 1g,
/// large ones on the big slice.
/// </summary>
internal static class PeerProfiles
{
    public const string Small = "1g.10gb";
    public const string Medium = "3g.40gb";
    public const string Large = "7g.80gb";

    public static readonly TimeSpan Slo = TimeSpan.FromMilliseconds(200);

    public const string Yaml = """
        1g.10gb: {1: 1, 8: 4000}
        3g.40gb: {1: 0.8, 8: 3000}
        7g.80gb: {1: 0.5, 8: 20}
        """;

    private static readonly Lazy<string> ProfileFile = new(() =>
    {
        var path = Path.Combine(Scratch.NewFolder("peers"), "profiles.yaml");
        File.WriteAllText(path, Yaml);
        return path;
    });

    /// <summary>The profile file, written once per test run (servers only read it).</summary>
    public static string WriteFile() => ProfileFile.Value;

    /// <summary>Ports that were free a moment ago, so servers can name each other as peers before they start.</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        foreach (var listener in listeners)
        {
            listener.Start();
        }

        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var listener in listeners)
        {
            listener.Stop();
        }

        return ports;
    }
}
