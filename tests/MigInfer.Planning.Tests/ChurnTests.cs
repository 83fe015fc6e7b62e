using CsCheck;
using MigInfer.Planning.Planners;
using MigInfer.Planning.Plans;
using MigInfer.Planning.Tests.Fixtures;

namespace MigInfer.Planning.Tests;

public sealed class ChurnTests
{
    private readonly CpSatPlanner _planner = new();

    [Fact]
    public void UnchangedCluster_ReplanChangesNothing() =>
        RandomProblems.Small(4, 3, 2000).Sample(problem =>
        {
            var first = _planner.Plan(problem);
            var current = PlanChecks.WithCurrent(problem, first);

            var replan = _planner.Plan(current);

            var story = $"first: {first.Status}, {first.GpusUsed} GPUs (bound {first.Bound}); replan: {replan.Status}, {replan.GpusUsed} GPUs (bound {replan.Bound}), {replan.SolveTimeMs} ms";
            Assert.True(replan.Diff.GpusChanged == 0 && replan.Diff.SlicesMoved == 0, $"{replan.Diff.GpusChanged} GPUs changed, {replan.Diff.SlicesMoved} slices moved; {story}");
        }, iter: 30, threads: 1);

    [Fact]
    public void RelaidGpu_DrainsEverySliceEvenOneThatReturnsInPlace()
    {
        PlannedGpu before = new("n1", 0, Workloads.A100, [new("4g.20gb", 0, "default/a"), new("3g.20gb", 4, "default/b")]);
        PlannedGpu after = new("n1", 0, Workloads.A100, [new("4g.20gb", 0, "default/a"), new("2g.10gb", 4, "default/b"), new("1g.5gb", 6, null)]);
        PlannedGpu kept = new("n1", 1, Workloads.A100, [new("7g.40gb", 0, "default/c")]);
        PlannedGpu handedOver = kept with { Slices = [new("7g.40gb", 0, "default/d")] };

        var diff = PlanDiff.Between([before, kept], [after, handedOver]);

        Assert.Equal(1, diff.GpusChanged);
        Assert.Equal(3, diff.SlicesMoved);
        Assert.Equal(3, diff.SlicesAdded);
    }

    [Fact]
    public void GrownLoadTheCurrentLayoutCarries_ChangesNothingAndIsProvedQuickly()
    {
        var problem = ChurnScenarios.GrownLoadTheCurrentLayoutCarries();

        var plan = _planner.Plan(problem);

        Assert.Equal((2, 0), ExhaustiveSearch.Solve(problem));
        Assert.True(plan.AllSlosMet, string.Join("; ", plan.Unmet.Select(u => u.Message)));
        Assert.Equal("Optimal", plan.Status);
        Assert.Equal(0, plan.Diff.GpusChanged);
        Assert.Equal(0, plan.Diff.SlicesMoved);
    }

    [Fact]
    public void LoadIncrease_ChurnIsTheComputedMinimum() =>
        (from problem in RandomProblems.Small(3, 3, 1200)
         from factor in Gen.Double[1.05, 1.6]
         from which in Gen.Int[0, 2]
         select (problem, factor, which)).Sample((problem, factor, which) =>
        {
            var current = PlanChecks.WithCurrent(problem, _planner.Plan(problem));
            var busier = PlanChecks.Scaled(current, factor, which % problem.Services.Length);

            var replan = _planner.Plan(busier);

            var exact = ExhaustiveSearch.Solve(busier);
            if (exact is { } lower && ExhaustiveSearch.Solve(busier, 1.01) is { } upper)
            {
                Assert.True(replan.AllSlosMet, string.Join("; ", replan.Unmet.Select(u => u.Message)));
                var achieved = (replan.GpusUsed, PlanChecks.Churn(busier, replan));
                Assert.True(achieved.CompareTo(lower) >= 0 && achieved.CompareTo(upper) <= 0,
                    $"cp-sat (GPUs, churn) = {achieved}; exhaustive {lower} at the demand, {upper} at 1% more");
            }
        }, iter: 20, threads: 1);
}
