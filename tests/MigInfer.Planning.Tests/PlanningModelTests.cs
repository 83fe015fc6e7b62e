using Google.OrTools.Sat;
using MigInfer.Planning.Baselines;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Model;
using MigInfer.Planning.Planners;
using MigInfer.Planning.Plans;
using MigInfer.Planning.Tests.Fixtures;

namespace MigInfer.Planning.Tests;

/// <summary>Starting the search from a given plan: its layouts and owners held, the routing completed by the solver.</summary>
public sealed class PlanningModelTests
{
    [Fact]
    public void HeuristicPlan_HintedAndHeld_IsCompletedWithItsGpusAndOwnersAndNoShortfall()
    {
        var problem = Workloads.Problem(Workloads.Cluster(("n1", 8), ("n2", 8)),
            Workloads.Service("default/a", 900, 50, [(1, 60), (8, 30), (32, 10)]),
            Workloads.Service("default/b", 3000, 30, [(1, 1)]),
            Workloads.Service("default/c", 300, 100, [(1, 50), (16, 50)]));
        var greedy = new GreedyFirstFitPlanner().Plan(problem);
        Assert.True(greedy.AllSlosMet);
        var model = ModelOf(problem);

        Assert.True(model.HintPlan(greedy.Gpus));
        var solver = HeldToHints(model);

        Assert.Equal(0, solver.Value(model.Shortfall));
        Assert.Equal(greedy.GpusUsed, solver.Value(model.GpusUsed));
        foreach (var ((_, profile, s), z) in model.Z)
        {
            var name = problem.Services[s].Name;
            Assert.Equal(greedy.Gpus.Sum(g => g.Slices.Count(x => x.Profile == profile.Name && x.Service == name)), solver.Value(z));
        }
    }

    [Fact]
    public void PlanForAnotherCluster_IsNotHinted()
    {
        var problem = Workloads.Problem(Workloads.Cluster(("n1", 2)), Workloads.Service("default/a", 200, 50, [(1, 1)]));
        PlannedGpu elsewhere = new("n9", 0, Workloads.A100, [new("7g.40gb", 0, "default/a")]);

        Assert.False(ModelOf(problem).HintPlan([elsewhere]));
    }

    private static PlanningModel ModelOf(PlanningProblem problem)
    {
        var index = new PlanningIndex(problem, GpuCatalog.Default);
        var model = new PlanningModel(index, GpuGroup.Build(index));
        model.Model.Minimize(model.Shortfall);
        return model;
    }

    private static CpSolver HeldToHints(PlanningModel model)
    {
        var solver = new CpSolver { StringParameters = "num_workers:1 max_time_in_seconds:10 fix_variables_to_their_hinted_value:true" };
        Assert.Equal(CpSolverStatus.Optimal, solver.Solve(model.Model));
        return solver;
    }
}
