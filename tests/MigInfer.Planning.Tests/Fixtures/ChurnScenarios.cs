using MigInfer.Planning.Model;

namespace MigInfer.Planning.Tests.Fixtures;

/// <summary>Clusters with a current state, for re-planning tests.</summary>
internal static class ChurnScenarios
{
    /// <summary>
    /// GPU 0 runs 4g + 3×1g for a MobileNet-like service whose load has grown to 806 rps (the four
    /// 1g-equivalents still carry it), GPU 1 runs a 7g for a service that needs it, GPU 2 is empty:
    /// the cheapest plan changes nothing. (Found by the load-increase property: one CP-SAT worker
    /// needed seconds to complete the current-state hint until the search used the LP relaxation.)
    /// </summary>
    public static PlanningProblem GrownLoadTheCurrentLayoutCarries() =>
        new(
            new ClusterInventory(
            [
                new NodeInventory
                {
                    Name = "node-a",
                    GpuProduct = Workloads.A100,
                    GpuCount = 3,
                    Gpus =
                    [
                        new GpuState(0, [new("4g.20gb", 0, "default/svc0"), new("1g.5gb", 4, "default/svc0"), new("1g.5gb", 5, "default/svc0"), new("1g.5gb", 6, "default/svc0")]),
                        new GpuState(1, [new("7g.40gb", 0, "default/svc1")]),
                    ],
                },
            ]),
            [
                Workloads.Service("default/svc0", 805.8, 50, [(2, 30), (4, 40), (8, 30)], LatencyTables.MobileNetLike()),
                Workloads.Service("default/svc1", 80, 100, [(1, 80), (32, 20)], LatencyTables.SmallAndWhole()),
            ],
            new PlanningPolicy { Workers = 1, TimeLimit = TimeSpan.FromSeconds(2) });
}
