using System.Diagnostics;
using System.Globalization;
using Google.OrTools.Sat;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Model;
using MigInfer.Planning.Plans;

namespace MigInfer.Planning.Planners;

/// <summary>
/// The exact planner: a CP-SAT model over GPU groups (see <see cref="PlanningModel"/>), solved in two
/// phases. Phase 1 minimises unserved demand; phase 2 holds it there and minimises GPUs used, then
/// churn against the current state, then maximises slices put to work. Both phases share the
/// policy's time limit and return the best plan with its proven bound.
/// </summary>
public sealed class CpSatPlanner(GpuCatalog catalog) : IPlanner
{
    public CpSatPlanner() : this(GpuCatalog.Default) { }

    public string Name => "cp-sat";

    public MigPlanResult Plan(PlanningProblem problem)
    {
        var clock = Stopwatch.StartNew();
        var index = new PlanningIndex(problem, catalog);
        var groups = GpuGroup.Build(index);
        var model = new PlanningModel(index, groups);
        model.HintCurrent();
        var policy = problem.Policy;

        // Phase 1: serve as much demand as the cluster can. Usually the bound of 0 is met at once.
        model.Model.Minimize(model.Shortfall);
        var phase1 = Solve(model.Model, policy, policy.TimeLimit * 0.4, out var firstTimer);
        var (status1, solver1) = phase1;
        if (status1 is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
        {
            throw new InvalidOperationException($"CP-SAT found no plan at all ({status1}); the model is always feasible, so this is a bug");
        }

        var bestShortfall = (long)Math.Round(solver1.ObjectiveValue);
        var firstMs = (long)((firstTimer.FirstSeconds ?? solver1.WallTime()) * 1000);
        Hint(model, solver1);

        // Phase 2: fewest GPUs, least churn, most slices at work, with unserved demand held at its optimum.
        model.Model.Add(model.Shortfall <= bestShortfall);
        model.Model.Minimize(model.Cost());
        var remaining = policy.TimeLimit - clock.Elapsed;
        var (status2, solver2) = Solve(model.Model, policy, remaining > TimeSpan.FromMilliseconds(100) ? remaining : TimeSpan.FromMilliseconds(100), out _);
        var solved = status2 is CpSolverStatus.Optimal or CpSolverStatus.Feasible ? solver2 : solver1;
        var gpus = Assign(index, model, solved);
        var objective = (long)Math.Round(solver2.ObjectiveValue);
        var bound = (long)Math.Round(solver2.BestObjectiveBound);
        return PlanBuilder.Build(index, gpus, Name, status2 == CpSolverStatus.Optimal && status1 == CpSolverStatus.Optimal ? "Optimal" : "Feasible") with
        {
            Objective = objective,
            Bound = bound,
            Gap = objective == bound ? 0 : Math.Round(Math.Abs(objective - bound) / Math.Max(1.0, Math.Abs((double)objective)), 6),
            SolveTimeMs = clock.ElapsedMilliseconds,
            FirstSolutionMs = firstMs,
        };
    }

    private static (CpSolverStatus Status, CpSolver Solver) Solve(CpModel model, PlanningPolicy policy, TimeSpan limit, out FirstSolutionTimer timer)
    {
        var solver = new CpSolver
        {
            StringParameters = string.Join(' ',
                $"max_time_in_seconds:{limit.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}",
                $"num_workers:{policy.Workers}",
                $"random_seed:{policy.RandomSeed}",
                $"relative_gap_limit:{policy.RelativeGapLimit.ToString("0.######", CultureInfo.InvariantCulture)}",
                // The routing and busy-time rows are linear; with their LP relaxation in the search a
                // single worker completes the current-state hint at once instead of branching for seconds.
                "linearization_level:2",
                // CP-SAT would take over SIGINT during a solve and not give it back to the host's handler;
                // hosts (the operator, local mode) handle Ctrl-C and SIGTERM themselves.
                "catch_sigint_signal:false"),
        };
        timer = new FirstSolutionTimer();
        var status = solver.Solve(model, timer);
        return (status, solver);
    }

    private static void Hint(PlanningModel model, CpSolver solver)
    {
        model.Model.ClearHints();
        foreach (var row in model.Y)
        {
            foreach (var y in row)
            {
                model.Model.AddHint(y, solver.Value(y));
            }
        }

        foreach (var z in model.Z.Values)
        {
            model.Model.AddHint(z, solver.Value(z));
        }
    }

    private static List<PlannedGpu> Assign(PlanningIndex index, PlanningModel model, CpSolver solver)
    {
        var gpus = new List<PlannedGpu>();
        for (var g = 0; g < model.Groups.Count; g++)
        {
            var group = model.Groups[g];
            var counts = group.Layouts.Select((_, l) => (int)solver.Value(model.Y[g][l])).ToArray();
            var quota = model.Z.Where(kv => kv.Key.Group == g)
                .ToDictionary(kv => (kv.Key.Profile.Name, index.Services[kv.Key.Service].Name), kv => (int)solver.Value(kv.Value));
            gpus.AddRange(GroupAssigner.Assign(group, counts, quota));
        }

        return gpus.OrderBy(x => x.Node, StringComparer.Ordinal).ThenBy(x => x.Index).ToList();
    }
}
