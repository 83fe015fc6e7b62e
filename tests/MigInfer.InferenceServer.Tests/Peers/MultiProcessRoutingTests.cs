using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using MigInfer.InferenceServer.Tests.Fixtures;
using MigInfer.OnnxModels;
using Xunit.Abstractions;

namespace MigInfer.InferenceServer.Tests.Peers;

/// <summary>
/// The issue's test: three server processes (1g, 3g, 7g) of one service as each other's peers. Under
/// load, small requests run on the small slice and large ones on the large slice; when one process
/// is killed, every request still gets exactly one answer and the survivors drop it within a second.
/// </summary>
public sealed class MultiProcessRoutingTests(ITestOutputHelper output)
{
    private const string Model = ModelZoo.TinyMlp;
    private static readonly string[] Profiles = [PeerProfiles.Small, PeerProfiles.Medium, PeerProfiles.Large];

    [Fact]
    public async Task ThreeProcesses_RouteBySizeAndSurviveAKilledPeer()
    {
        var ports = PeerProfiles.FreePorts(Profiles.Length);
        var file = PeerProfiles.WriteFile();
        var servers = new ServerProcess[Profiles.Length];
        try
        {
            for (var i = 0; i < Profiles.Length; i++)
            {
                servers[i] = await ServerProcess.StartAsync(Arguments(Profiles[i], ports[i], [.. ports.Where((_, j) => j != i)], file));
            }

            foreach (var server in servers)
            {
                await WaitForAlivePeersAsync(server, 2, TestTimeouts.Default);
            }

            var before = await LoadAsync(servers, TimeSpan.FromSeconds(3));
            AssertRoutedBySize(before, smallOn: PeerProfiles.Small);

            // Kill the 1g slice while load runs against the survivors.
            var survivors = servers[1..];
            var load = LoadAsync(survivors, TimeSpan.FromSeconds(4));
            await Task.Delay(500).WithTimeout();
            var killed = DateTimeOffset.UtcNow;
            servers[0].Kill();

            // When each survivor dropped the peer, by its own log's clock: a busy machine can take hundreds of
            // milliseconds to answer a scrape, which says nothing about when the router stopped sending there.
            var drops = await Task.WhenAll(survivors.Select(s => s.LineContainingAsync($"Peer 127.0.0.1:{ports[0]} dropped from routing"))).WithTimeout();
            var dropped = drops.Select(line => LogTime(line) - killed).Max();
            await Task.WhenAll(survivors.Select(s => WaitForAlivePeersAsync(s, 1, TestTimeouts.Default))).WithTimeout();
            var during = await load.WithTimeout();
            output.WriteLine($"before: {Summary(before)}");
            output.WriteLine($"kill: survivors dropped the peer after {dropped.TotalMilliseconds:0} ms; during: {Summary(during)}");

            Assert.InRange(dropped, TimeSpan.FromMilliseconds(-1), TimeSpan.FromSeconds(1)); // log times are whole milliseconds
            Assert.All(during, r => Assert.True(r.Status is StatusCode.OK or StatusCode.Unavailable or StatusCode.ResourceExhausted or StatusCode.DeadlineExceeded, $"unexpected {r.Status}"));
            Assert.True(during.Count(r => r.Status == StatusCode.OK) >= during.Count * 0.9, $"{during.Count(r => r.Status == StatusCode.OK)} of {during.Count} answered OK");
            var after = await LoadAsync(survivors, TimeSpan.FromSeconds(1));
            output.WriteLine($"after: {Summary(after)}");
            AssertRoutedBySize(after, smallOn: PeerProfiles.Medium);
        }
        finally
        {
            foreach (var server in servers.Where(s => s is not null))
            {
                await server.DisposeAsync();
            }
        }
    }

    private static string Summary(IReadOnlyList<Answer> answers) =>
        string.Join(", ", answers.GroupBy(a => (a.Batch, a.Status, a.Profile)).OrderBy(g => g.Key.Batch).Select(g => $"batch {g.Key.Batch} {g.Key.Status} {g.Key.Profile ?? "-"}: {g.Count()}"));

    private static void AssertRoutedBySize(IReadOnlyList<Answer> answers, string smallOn)
    {
        var ok = answers.Where(a => a.Status == StatusCode.OK).ToList();
        Assert.True(ok.Count >= answers.Count * 0.9, $"{ok.Count} of {answers.Count} answered OK");
        var small = ok.Where(a => a.Batch == 1).ToList();
        var large = ok.Where(a => a.Batch == 8).ToList();
        Assert.NotEmpty(small);
        Assert.NotEmpty(large);
        Assert.All(large, a => Assert.Equal(PeerProfiles.Large, a.Profile));
        Assert.True(small.Count(a => a.Profile == smallOn) >= small.Count * 0.8, $"{small.Count(a => a.Profile == smallOn)} of {small.Count} small requests on {smallOn}: {string.Join(", ", small.GroupBy(a => a.Profile).Select(g => $"{g.Key}={g.Count()}"))}");
    }

    /// <summary>Four closed-loop clients, each alternating batch 1 and batch 8 over the servers, for <paramref name="duration"/>.</summary>
    private static async Task<IReadOnlyList<Answer>> LoadAsync(ServerProcess[] servers, TimeSpan duration)
    {
        var answers = new ConcurrentBag<Answer>();
        var clock = Stopwatch.StartNew();
        var clients = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            for (var n = c; clock.Elapsed < duration; n++)
            {
                var batch = n % 2 == 0 ? 1 : 8;
                var server = servers[n % servers.Length];
                var request = Requests.Fp32(Model, "input", new float[batch * 4], [batch, 4], raw: true);
                try
                {
                    var response = await server.Grpc.ModelInferAsync(request, deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync;
                    answers.Add(new Answer(batch, StatusCode.OK, response.Parameters["miginfer.slice_profile"].StringParam));
                }
                catch (RpcException ex)
                {
                    answers.Add(new Answer(batch, ex.StatusCode, null));
                }
            }
        }));
        await Task.WhenAll(clients).WithTimeout(duration + TestTimeouts.Default);
        return [.. answers];
    }

    private static async Task WaitForAlivePeersAsync(ServerProcess server, int count, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (await server.MetricAsync("miginfer_peers_alive{") != count)
        {
            Assert.InRange(clock.Elapsed, TimeSpan.Zero, limit);
            await Task.Delay(20).WithTimeout();
        }
    }

    /// <summary>The time a log line was written: its first word, as the server's console format writes it.</summary>
    private static DateTimeOffset LogTime(string line) =>
        DateTimeOffset.ParseExact(line[..line.IndexOf(' ', StringComparison.Ordinal)], "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static IEnumerable<string> Arguments(string profile, int grpcPort, int[] peerPorts, string profileFile) =>
    [
        "--model-path", ModelFiles.PathOf(Model),
        "--model-name", Model,
        "--slice-profile", profile,
        "--slo-ms", PeerProfiles.Slo.TotalMilliseconds.ToString(CultureInfo.InvariantCulture),
        "--max-batch-size", "8",
        "--profile-file", profileFile,
        "--peers", string.Join(',', peerPorts.Select(p => $"127.0.0.1:{p}")),
        "--listen-address", "127.0.0.1",
        "--http-port", "0",
        "--grpc-port", grpcPort.ToString(CultureInfo.InvariantCulture),
        "--metrics-port", "0",
        "--intra-op-threads", "1",
    ];

    private sealed record Answer(int Batch, StatusCode Status, string? Profile);
}
