using MigInfer.Planning.Baselines;
using MigInfer.Planning.Capacity;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Model;
using MigInfer.Planning.Planners;

namespace MigInfer.Planning.Bench;

/// <summary>
/// How the gain over the best homogeneous layout depends on how much of the work small slices cannot run within
/// β × SLO. The measured workload's Mixed services are planned with every SLO scaled by each factor in turn; a row
/// gives the share of the work that no 1g and no 3g slice can run in time, and the GPUs every planner needs. Characterises the workloads; the published tables keep the MLPerf SLOs.
/// </summary>
internal static class SloSweep
{
    public static void Run(GpuMeasurements measurements, IReadOnlyList<double> scales, int services, double fillGpus, int clusterGpus, int workers, TimeSpan limit, int seed)
    {
        var planners = new List<IPlanner> { new CpSatPlanner() };
        planners.AddRange(BaselinePlanners.All());
        var policy = new PlanningPolicy { Workers = workers, TimeLimit = limit };
        Console.WriteLine($"## Gain against the work small slices cannot run in time: Mixed sizes, {services} services, load of about {fillGpus:0} whole 7g GPUs, cluster of {clusterGpus}; CP-SAT {workers} worker(s), {limit.TotalSeconds:0} s; seed {seed}");
        Console.WriteLine($"({new MeasuredWorkload(measurements).Description}, every SLO times the scale)");
        Console.WriteLine();
        Console.WriteLine($"| SLO scale | work a 1g slice cannot run in time | work a 3g slice cannot run in time | {string.Join(" | ", planners.Select(p => p.Name))} | cp-sat vs best homogeneous |");
        Console.WriteLine($"|---:|---:|---:|{string.Concat(planners.Select(_ => "---:|"))}---:|");
        var times = new Dictionary<string, long>();
        foreach (var scale in scales)
        {
            var workload = new MeasuredWorkload(measurements, scale);
            var demands = workload.Services(services, SizeMix.Mixed, fillGpus, policy, seed);
            if (demands.FirstOrDefault(d => double.IsNaN(d.RequestsPerSecond)) is { } impossible)
            {
                Console.WriteLine($"| {scale:0.##} | {impossible.Name} has a request size that misses β × SLO even on a whole GPU |");
                continue;
            }

            var problem = new PlanningProblem(workload.Cluster(clusterGpus), [.. demands], policy);
            var (cells, exact, homogeneous, _) = QualityBenchmark.Compare(problem, planners, times);
            Console.WriteLine($"| {scale:0.##} | {Beyond(demands, workload.Product, policy, 1):P0} | {Beyond(demands, workload.Product, policy, 3):P0} | {string.Join(" | ", cells)} | {QualityBenchmark.Saving(exact, homogeneous)} |");
        }

        Console.WriteLine();
    }

    /// <summary>
    /// The share of the work (requests weighted by their rate and their cost on a whole GPU) whose request size no
    /// slice of <paramref name="computeSlices"/> compute slices runs within β × SLO.
    /// </summary>
    private static double Beyond(IReadOnlyList<ServiceDemand> services, string productName, PlanningPolicy policy, int computeSlices)
    {
        var product = GpuCatalog.Default.Resolve(productName);
        var whole = product.PlannableProfiles.MaxBy(p => p.ComputeSlices)!;
        var model = new CapacityModel(policy);
        double beyond = 0, total = 0;
        foreach (var service in services)
        {
            var options = model.Options(service, product);
            var slice = options.First(o => o.Profile.ComputeSlices == computeSlices);
            var large = options.Single(o => o.Profile == whole);
            for (var k = 0; k < service.Sizes.Length; k++)
            {
                var work = service.RequestsPerSecond * service.Sizes[k].Weight * large.RequestCostMs[k]!.Value;
                total += work;
                beyond += slice.RequestCostMs[k] is null ? work : 0;
            }
        }

        return beyond / total;
    }
}
