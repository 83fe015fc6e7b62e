using MigInfer.Planning.Capacity;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Layouts;
using MigInfer.Planning.Model;
using MigInfer.Planning.Plans;

namespace MigInfer.Planning.Tests.Fixtures;

/// <summary>Invariants every plan must satisfy, checked from the plan alone, and helpers for re-planning.</summary>
internal static class PlanChecks
{
    /// <summary>
    /// Layouts valid (re-checked with <see cref="MigLayout.TryCreate"/>), every inventory GPU listed
    /// once, one owner per slice, owners known and allowed there, and, when every SLO is met, each
    /// service's slices carry its demand under the capacity model.
    /// </summary>
    public static void AssertValid(PlanningProblem problem, MigPlanResult plan)
    {
        var inventory = problem.Cluster.Nodes.SelectMany(n => Enumerable.Range(0, n.GpuCount).Select(i => (n.Name, i))).ToHashSet();
        var listed = plan.Gpus.Select(g => (g.Node, g.Index)).ToList();
        Assert.Equal(inventory.Count, listed.Count);
        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.True(inventory.SetEquals(listed), $"{plan.Planner}: GPUs listed differ from the inventory");

        var services = problem.Services.ToDictionary(s => s.Name);
        var given = services.Keys.ToDictionary(n => n, _ => new Dictionary<(GpuProduct, MigProfile), int>());
        foreach (var gpu in plan.Gpus)
        {
            var product = GpuCatalog.Default.Resolve(gpu.Product);
            var slices = gpu.Slices.Select(s => new MigSlice(product.FindProfile(s.Profile)!, s.Start)).ToList();
            Assert.True(MigLayout.TryCreate(product, slices, out _, out var error), $"{plan.Planner}: {gpu.Node}/{gpu.Index}: {error}");
            Assert.Equal(gpu.Slices.Length, gpu.Slices.Select(s => s.Start).Distinct().Count());
            var node = problem.Cluster.Nodes.Single(n => n.Name == gpu.Node);
            foreach (var slice in gpu.Slices.Where(s => s.Service is not null))
            {
                Assert.True(services.TryGetValue(slice.Service!, out var service), $"{plan.Planner}: unknown owner {slice.Service}");
                Assert.All(service.NodeSelector, kv => Assert.Equal(kv.Value, node.Labels.GetValueOrDefault(kv.Key)));
                var key = (product, product.FindProfile(slice.Profile)!);
                given[service.Name][key] = given[service.Name].GetValueOrDefault(key) + 1;
            }
        }

        foreach (var service in problem.Services)
        {
            var model = new CapacityModel(problem.Policy);
            var slices = given[service.Name]
                .Select(kv => (Option: model.Options(service, kv.Key.Item1).FirstOrDefault(o => o.Profile == kv.Key.Item2), Count: kv.Value))
                .ToList();
            Assert.All(slices, s => Assert.NotNull(s.Option));
            var capacity = ServiceEvaluator.Evaluate(service, slices.Select(s => (s.Option!, s.Count)).ToList(), problem.Policy.Rho, _ => true).CapacityRps;
            var reported = plan.Services.Single(s => s.Service == service.Name);
            Assert.Equal(given[service.Name].Values.Sum(), reported.Slices.Values.Sum());
            if (plan.AllSlosMet)
            {
                Assert.True(capacity >= service.RequestsPerSecond * (1 - 1e-6), $"{plan.Planner}: {service.Name} capacity {capacity} < demand {service.RequestsPerSecond}");
            }
        }
    }

    /// <summary>The plan's GPUs, owners and per-service slice counts as text, for determinism checks.</summary>
    public static string Fingerprint(MigPlanResult plan) =>
        string.Join('\n', plan.Gpus.Select(g => $"{g.Node}/{g.Index}: {string.Join(' ', g.Slices)}"))
        + "\n" + string.Join('\n', plan.Services.Select(s => $"{s.Service}: {string.Join(',', s.Slices)} {s.CapacityRps}"));

    /// <summary>The problem with the plan's layouts and owners as the cluster's current state.</summary>
    public static PlanningProblem WithCurrent(PlanningProblem problem, MigPlanResult plan) =>
        problem with
        {
            Cluster = new ClusterInventory([.. problem.Cluster.Nodes.Select(n => n with
            {
                Gpus = [.. plan.Gpus.Where(g => g.Node == n.Name && !g.Slices.IsEmpty).Select(g => new GpuState(g.Index, g.Slices))],
            })]),
        };

    /// <summary>The problem with one service's load scaled.</summary>
    public static PlanningProblem Scaled(PlanningProblem problem, double factor, int? only = null) =>
        problem with
        {
            Services = [.. problem.Services.Select((s, i) => only is null || only == i ? s with { RequestsPerSecond = s.RequestsPerSecond * factor } : s)],
        };

    /// <summary>
    /// The churn level of the planner's objective: GpuChangeWeight per GPU whose existing layout is
    /// re-laid out, plus running slices moved. Partitioning a GPU that had no layout drains nothing,
    /// so the model (and this count) leaves it to the GPUs-used level.
    /// </summary>
    public static int Churn(PlanningProblem problem, MigPlanResult plan) =>
        (problem.Policy.GpuChangeWeight * plan.Diff.Changes.Count(c => c.From != "(empty)")) + plan.Diff.SlicesMoved;
}
