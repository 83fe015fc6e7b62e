using BenchmarkDotNet.Attributes;

namespace MigInfer.Scheduling.Bench;

/// <summary>One ELSA routing decision over 64 slices (1 local, 63 peers with reports).</summary>
[MemoryDiagnoser]
public class RouterBenchmarks
{
    private readonly TimeSpan now = TimeSpan.FromSeconds(10);
    private ElsaRouter router = null!;
    private RouteRequest request;

    [GlobalSetup]
    public void Setup()
    {
        var model = BenchProfiles.Model();
        var local = new SliceScheduler(model, model.Resolve("2g.20gb"), new BatchingOptions());
        router = new ElsaRouter(model);
        router.AddLocalSlice("self", "2g.20gb", 64, local);
        for (int i = 1; i < 64; i++)
        {
            string id = $"peer-{i}";
            router.AddPeerSlice(id, BenchProfiles.Names[i % BenchProfiles.Names.Length], 64, TimeSpan.FromMicroseconds(200));
            router.ReportBacklog(id, TimeSpan.FromMilliseconds(i % 17), now - TimeSpan.FromMilliseconds(i % 5));
        }

        request = new RouteRequest(6, now, TimeSpan.FromMilliseconds(25));
    }

    [Benchmark]
    public RouteDecision Route64() => router.Route(request, now);
}
