using MigInfer.Planning.Catalog;
using MigInfer.Planning.Planners;

namespace MigInfer.Planning.Baselines;

/// <summary>The baselines the exact planner is compared with (DESIGN.md section 4).</summary>
public static class BaselinePlanners
{
    /// <summary>The four homogeneous layouts, PARIS and greedy first-fit, in that order.</summary>
    public static IReadOnlyList<IPlanner> All(GpuCatalog catalog) =>
    [
        .. Enum.GetValues<HomogeneousLayout>().Select(l => new HomogeneousPlanner(l, catalog)),
        new ParisPlanner(catalog),
        new GreedyFirstFitPlanner(catalog),
    ];

    /// <inheritdoc cref="All(GpuCatalog)"/>
    public static IReadOnlyList<IPlanner> All() => All(GpuCatalog.Default);
}
