using MigInfer.Planning.Baselines;
using MigInfer.Planning.Model;
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
    public void LoadThatFillsOneGpuToWithinATenThousandth_TakesOneGpu_AsTheAllOneGBaselineDoes()
    {
        // Only 1g measured, 1 ms per sample: sizes 1, 2 and 4 in equal shares cost 7/3 ms a request on average,
        // so seven 1g slices at rho 0.8 carry 5600 / (7/3) = 2400 requests/s. Thirds are not whole units of
        // demand: rounding each class up to a thousandth of the rate once made CP-SAT open a second GPU, and up to
        // a ten-thousandth still asked 0.02 % too much, more than the 0.01 % left here.
        var table = new LatencyTable(Workloads.A100, [new("1g.5gb", 1, 1.0), new("1g.5gb", 2, 2.0), new("1g.5gb", 4, 4.0)]);
        var problem = Workloads.Problem(Workloads.Cluster(("n1", 2)),
            Workloads.Service("default/tight", 2400 * (1 - 1e-4), 1000, [(1, 1), (2, 1), (4, 1)], table, maxBatch: 4));

        var plan = _planner.Plan(problem);
        var baseline = new HomogeneousPlanner(HomogeneousLayout.AllOneG).Plan(problem);

        Assert.True(baseline.AllSlosMet);
        Assert.Equal(1, baseline.GpusUsed);
        Assert.True(plan.AllSlosMet, string.Join("; ", plan.Unmet.Select(u => u.Message)));
        Assert.Equal(1, plan.GpusUsed);
        Assert.Equal("Optimal", plan.Status);
    }

    [Fact]
    public void LoadJustAboveWhatTheCurrentPlanCarries_TakesAPlanThatMeetsEverySlo()
    {
        // The same 1g-only service: one all-1g GPU carries 2400 requests/s. At 0.05 % more the current plan is
        // short by less than the thousandth of a rate a replan keeps for the sake of churn, but a plan with a
        // second GPU serves everything, and serving everything comes first.
        var table = new LatencyTable(Workloads.A100, [new("1g.5gb", 1, 1.0), new("1g.5gb", 2, 2.0), new("1g.5gb", 4, 4.0)]);
        var problem = Workloads.Problem(Workloads.Cluster(("n1", 2)),
            Workloads.Service("default/tight", 2400 * (1 - 5e-4), 1000, [(1, 1), (2, 1), (4, 1)], table, maxBatch: 4));
        var current = PlanChecks.WithCurrent(problem, _planner.Plan(problem));
        var busier = PlanChecks.Scaled(current, 1 + 1e-3);

        var replan = _planner.Plan(busier);

        Assert.True(replan.AllSlosMet, string.Join("; ", replan.Unmet.Select(u => u.Message)));
        Assert.Equal(2, replan.GpusUsed);
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
