using MigInfer.Planning.Baselines;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Model;
using MigInfer.Planning.Planners;

namespace MigInfer.Planning.Bench;

/// <summary>
/// How far the greedy homogeneous baselines are from the best their layouts allow: CP-SAT on the same
/// services, each allowed only the profiles of one homogeneous layout. For a layout of one profile
/// (7x1g, 2x3g, 1x7g) that is the layout's optimum; for 3x2g+1g it is a lower bound, since CP-SAT may
/// then also mix 2g and 1g slices in other ways.
/// </summary>
internal static class HomogeneousCheck
{
    public static void Run(Workload workload, int services, double fillGpus, int clusterGpus, int workers, TimeSpan limit, int seed)
    {
        var product = GpuCatalog.Default.Resolve(workload.Product);
        var layouts = Enum.GetValues<HomogeneousLayout>().Select(l => new HomogeneousPlanner(l)).ToList();
        Console.WriteLine($"## CP-SAT restricted to each homogeneous layout's profiles: {services} services, load of about {fillGpus:0} whole 7g GPUs; seed {seed}");
        Console.WriteLine($"({workload.Description})");
        Console.WriteLine();
        Console.WriteLine($"| size mix | {string.Join(" | ", layouts.Select(l => l.Name + (l.Layout == HomogeneousLayout.TwoGAndOneG ? " (lower bound)" : "")))} |");
        Console.WriteLine($"|---|{string.Concat(layouts.Select(_ => "---:|"))}");
        var policy = new PlanningPolicy { Workers = workers, TimeLimit = limit };
        foreach (var mix in Enum.GetValues<SizeMix>())
        {
            var demands = workload.Services(services, mix, fillGpus, policy, seed);
            var cells = layouts.Select(layout =>
            {
                var profiles = layout.LayoutFor(product)!.Slices.Select(s => s.Profile.Name).Distinct().ToList();
                var plan = new CpSatPlanner().Plan(new PlanningProblem(workload.Cluster(clusterGpus), [.. demands.Select(d => d with { AllowedProfiles = [.. profiles] })], policy));
                var cell = plan.AllSlosMet ? $"{plan.GpusUsed}" : $"unmet ({plan.Unmet.Length} svc)";
                return plan.Status == "Optimal" ? cell : $"{cell} (gap {plan.Gap:P1})";
            });
            Console.WriteLine($"| {mix} | {string.Join(" | ", cells)} |");
        }

        Console.WriteLine();
    }
}
