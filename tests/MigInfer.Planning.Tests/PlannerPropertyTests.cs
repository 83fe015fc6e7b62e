using CsCheck;
using MigInfer.Planning.Baselines;
using MigInfer.Planning.Planners;
using MigInfer.Planning.Tests.Fixtures;

namespace MigInfer.Planning.Tests;

public sealed class PlannerPropertyTests
{
    private static readonly IPlanner[] Planners = [new CpSatPlanner(), .. BaselinePlanners.All()];

    [Fact]
    public void RandomSmallClusters_EveryPlannerGivesAValidPlan() =>
        RandomProblems.Small(4, 3, 2000).Sample(problem =>
        {
            foreach (var planner in Planners)
            {
                PlanChecks.AssertValid(problem, planner.Plan(problem));
            }
        }, iter: 40, threads: 1);

    [Fact]
    public void SameInput_GivesTheSamePlan() =>
        RandomProblems.Small(4, 3, 2000).Sample(problem =>
        {
            foreach (var planner in Planners)
            {
                Assert.Equal(PlanChecks.Fingerprint(planner.Plan(problem)), PlanChecks.Fingerprint(planner.Plan(problem)));
            }
        }, iter: 10, threads: 1);

    [Fact]
    public void CpSat_NeverUsesMoreGpusThanABaselineThatMeetsEverySlo() =>
        RandomProblems.Small(4, 3, 2000).Sample(problem =>
        {
            var exact = new CpSatPlanner().Plan(problem);
            // A baseline is judged on 0.1 % more load: the CP-SAT model rounds each demand unit's busy time up
            // to whole tens of nanoseconds, so a baseline plan met only to the last thousandths of a percent is
            // not a fair bar.
            var harder = PlanChecks.Scaled(problem, 1.001);
            foreach (var baseline in BaselinePlanners.All())
            {
                var plan = baseline.Plan(harder);
                if (plan.AllSlosMet)
                {
                    Assert.True(exact.AllSlosMet, $"{baseline.Name} meets every SLO, cp-sat leaves {string.Join("; ", exact.Unmet.Select(u => u.Message))}");
                    Assert.True(exact.GpusUsed <= plan.GpusUsed, $"cp-sat uses {exact.GpusUsed} GPUs, {baseline.Name} {plan.GpusUsed}");
                }
            }
        }, iter: 40, threads: 1);
}
