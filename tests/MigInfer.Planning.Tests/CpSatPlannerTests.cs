using MigInfer.Planning.Planners;
using MigInfer.Planning.Plans;
using MigInfer.Planning.Tests.Fixtures;

namespace MigInfer.Planning.Tests;

public sealed class CpSatPlannerTests
{
    private readonly CpSatPlanner _planner = new();

    [Fact]
    public void SmallService_FitsOnOneGpuAndMeetsItsSlo()
    {
        var problem = Workloads.Problem(Workloads.Cluster(("n1", 2)),
            Workloads.Service("default/resnet", 200, 50, [(1, 60), (8, 30), (32, 10)]));

        var plan = _planner.Plan(problem);

        Assert.True(plan.AllSlosMet, string.Join("; ", plan.Unmet.Select(u => u.Message)));
        Assert.Equal(1, plan.GpusUsed);
        Assert.Equal(2, plan.Gpus.Length);
        Assert.True(plan.Services[0].CapacityRps >= 200);
    }

    [Fact]
    public void TooMuchLoad_IsReportedAsUnmetWithTheShortfall()
    {
        var problem = Workloads.Problem(Workloads.Cluster(("n1", 1)),
            Workloads.Service("default/resnet", 100000, 50, [(1, 100)]));

        var plan = _planner.Plan(problem);

        var unmet = Assert.Single(plan.Unmet);
        Assert.Equal("default/resnet", unmet.Service);
        Assert.InRange(unmet.ShortfallRps, 1, 100000);
        Assert.Equal(UnmetReason.InsufficientCapacity, unmet.Reason);
        Assert.Contains("too few", unmet.Message);
    }

    [Fact]
    public void SloNoProfileCanMeet_NamesTheRequestSizeAndTheBudget()
    {
        var problem = Workloads.Problem(Workloads.Cluster(("n1", 1)),
            Workloads.Service("default/resnet", 10, 20, [(1, 50), (32, 50)]));

        var plan = _planner.Plan(problem);

        var unmet = Assert.Single(plan.Unmet);
        Assert.Equal((UnmetReason.SloUnattainable, "spec.slo.latencyMs"), (unmet.Reason, unmet.Field));
        Assert.Contains("requests of 32 samples take 16.5 ms even on 7g.40gb", unmet.Message);
        Assert.Contains("beta x SLO = 10 ms", unmet.Message);
        Assert.Equal(5, unmet.ShortfallRps, 6);
    }
}
