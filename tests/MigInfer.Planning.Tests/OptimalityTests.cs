using CsCheck;
using MigInfer.Planning.Planners;
using MigInfer.Planning.Tests.Fixtures;

namespace MigInfer.Planning.Tests;

public sealed class OptimalityTests
{
    [Fact]
    public void SmallInstances_CpSatUsesAsFewGpusAsExhaustiveSearch() =>
        RandomProblems.Small(3, 3, 1500).Sample(problem =>
        {
            var plan = new CpSatPlanner().Plan(problem);
            var exact = ExhaustiveSearch.Solve(problem);
            // With 1% more load the reference absorbs the model's integer rounding (see the baseline property).
            var relaxed = ExhaustiveSearch.Solve(problem, 1.01);

            if (exact is null)
            {
                // Too few GPUs for the load: the plan says so. How much can be served at most is a packing
                // problem whose exact optimum CP-SAT may not prove within the limit even on three GPUs
                // (a shortfall of 293 against a bound of 289 units was seen); the plan then says Feasible.
                Assert.False(plan.AllSlosMet);
                return;
            }

            Assert.Equal("Optimal", plan.Status);

            if (relaxed is { } upper)
            {
                Assert.True(plan.AllSlosMet, string.Join("; ", plan.Unmet.Select(u => u.Message)));
                Assert.InRange(plan.GpusUsed, exact.Value.GpusUsed, upper.GpusUsed);
                Assert.Equal(0, PlanChecks.Churn(problem, plan));
            }
        }, iter: 25, threads: 1);
}
