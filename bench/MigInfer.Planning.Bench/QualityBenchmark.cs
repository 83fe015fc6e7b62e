using System.Diagnostics;
using MigInfer.Planning.Baselines;
using MigInfer.Planning.Model;
using MigInfer.Planning.Planners;

namespace MigInfer.Planning.Bench;

/// <summary>
/// GPUs each planner needs to meet every SLO, per request-size mix. Every planner gets the same
/// cluster, large enough that none runs out; a planner that still leaves a service unmet (a
/// layout with no slice fast enough for some size) is shown as such.
/// </summary>
internal static class QualityBenchmark
{
    public static void Run(Workload workload, int services, double fillGpus, int clusterGpus, int workers, TimeSpan limit, int seed)
    {
        var planners = new List<IPlanner> { new CpSatPlanner() };
        planners.AddRange(BaselinePlanners.All());
        Console.WriteLine($"## GPUs needed to meet every SLO: {services} services, load of about {fillGpus:0} whole 7g GPUs, cluster of {clusterGpus}; CP-SAT {workers} worker(s), {limit.TotalSeconds:0} s; seed {seed}");
        Console.WriteLine($"({workload.Description})");
        Console.WriteLine();
        Console.WriteLine($"| size mix | {string.Join(" | ", planners.Select(p => p.Name))} | cp-sat vs best homogeneous | cp-sat vs best baseline |");
        Console.WriteLine($"|---|{string.Concat(planners.Select(_ => "---:|"))}---:|---:|");
        var policy = new PlanningPolicy { Workers = workers, TimeLimit = limit };
        var times = new Dictionary<string, long>();
        foreach (var mix in Enum.GetValues<SizeMix>())
        {
            var problem = new PlanningProblem(workload.Cluster(clusterGpus), [.. workload.Services(services, mix, fillGpus, policy, seed)], policy);
            var (cells, exact, homogeneous, baseline) = Compare(problem, planners, times);
            Console.WriteLine($"| {mix} | {string.Join(" | ", cells)} | {Saving(exact, homogeneous)} | {Saving(exact, baseline)} |");
        }

        Console.WriteLine();
        Console.WriteLine($"Planner wall time over the {Enum.GetValues<SizeMix>().Length} mixes (ms): {string.Join(", ", times.Select(kv => $"{kv.Key} {kv.Value}"))}");
        Console.WriteLine();
    }

    /// <summary>
    /// Plans <paramref name="problem"/> with every planner (CP-SAT first) and adds their wall times to <paramref name="times"/>:
    /// a table cell per planner, CP-SAT's GPUs (null when it leaves an SLO unmet), and the fewest GPUs of the
    /// homogeneous layouts and of all baselines that met every SLO (0 when none did).
    /// </summary>
    public static (List<string> Cells, int? Exact, int Homogeneous, int Baseline) Compare(PlanningProblem problem, IReadOnlyList<IPlanner> planners, Dictionary<string, long> times)
    {
        var results = new List<(IPlanner Planner, int? Gpus, string Cell)>();
        foreach (var planner in planners)
        {
            var clock = Stopwatch.StartNew();
            var plan = planner.Plan(problem);
            times[planner.Name] = times.GetValueOrDefault(planner.Name) + clock.ElapsedMilliseconds;
            var cell = plan.AllSlosMet ? $"{plan.GpusUsed}" : $"unmet ({plan.Unmet.Length} svc, {plan.GpusUsed} used)";
            if (planner is CpSatPlanner && plan.Status != "Optimal")
            {
                cell += $" (gap {plan.Gap:P1})";
            }

            results.Add((planner, plan.AllSlosMet ? plan.GpusUsed : null, cell));
        }

        var homogeneous = results.Where(r => r.Planner is HomogeneousPlanner && r.Gpus is not null).Select(r => r.Gpus!.Value).DefaultIfEmpty().Min();
        var baseline = results.Skip(1).Where(r => r.Gpus is not null).Select(r => r.Gpus!.Value).DefaultIfEmpty().Min();
        return ([.. results.Select(r => r.Cell)], results[0].Gpus, homogeneous, baseline);
    }

    public static string Saving(int? exact, int other) =>
        exact is { } e && other > 0 ? $"{(other - e) / (double)other:P0} fewer ({e} vs {other})" : "n/a";
}
