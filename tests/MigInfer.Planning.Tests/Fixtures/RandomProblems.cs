using CsCheck;
using MigInfer.Planning.Model;

namespace MigInfer.Planning.Tests.Fixtures;

/// <summary>CsCheck generators of small clusters (A100-40GB) and services for the planner properties.</summary>
internal static class RandomProblems
{
    private static readonly double[] Slos = [30, 50, 100];

    private static readonly (int Size, double Weight)[][] Mixes =
    [
        [(1, 1)],
        [(1, 60), (8, 30), (32, 10)],
        [(1, 50), (16, 50)],
        [(2, 30), (4, 40), (8, 30)],
        [(1, 80), (32, 20)],
    ];

    /// <summary>1–2 nodes with <paramref name="maxGpus"/> GPUs at most, and 1..<paramref name="maxServices"/> services.</summary>
    public static Gen<PlanningProblem> Small(int maxGpus, int maxServices, int maxRps) =>
        from gpus in Gen.Int[1, maxGpus]
        from split in Gen.Int[0, gpus - 1]
        from services in Service(maxRps).Array[1, maxServices]
        select Problem(gpus, split, services);

    private static Gen<ServiceDemand> Service(int maxRps) =>
        from rps in Gen.Int[1, maxRps / 10]
        from slo in Gen.Int[0, 2].Select(i => Slos[i])
        from mix in Gen.Int[0, Mixes.Length - 1]
        from table in Gen.Int[0, 2]
        select Workloads.Service("s", rps * 10, slo, Mixes[mix], table switch
        {
            0 => Workloads.ResNetLike(),
            1 => LatencyTables.MobileNetLike(),
            _ => LatencyTables.SmallAndWhole(),
        });

    private static PlanningProblem Problem(int gpus, int split, ServiceDemand[] services)
    {
        var cluster = split == 0
            ? Workloads.Cluster(("node-a", gpus))
            : Workloads.Cluster(("node-a", split), ("node-b", gpus - split));
        var named = services.Select((s, i) => s with { Name = $"default/svc{i}" }).ToArray();
        return Workloads.Problem(cluster, named) with { Policy = Policy };
    }

    /// <summary>One worker (deterministic) and a short limit: small instances prove optimality in milliseconds.</summary>
    public static PlanningPolicy Policy { get; } = new() { Workers = 1, TimeLimit = TimeSpan.FromSeconds(5) };
}
