using System.Diagnostics;
using System.Globalization;
using Google.OrTools.Sat;
using MigInfer.Planning.Baselines;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Model;
using MigInfer.Planning.Plans;

namespace MigInfer.Planning.Planners;

/// <summary>
/// The exact planner: a CP-SAT model over GPU groups (see <see cref="PlanningModel"/>), solved in three
/// lexicographic phases that share the policy's time limit, each starting from the previous one's
/// plan: (1) least unserved demand; (2) fewest GPUs, whose proven bound gives the reported gap;
/// (3) least churn against the current state, then most slices put to work. When slices run already,
/// a phase 0 completes the current plan (its routing) first, so phase 1 starts from all of it.
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
        var policy = problem.Policy;
        model.Model.Minimize(model.Shortfall);
        (long Shortfall, CpSolver Solver)? current = null;
        if (model.HintCurrent())
        {
            // Phase 0: the current layouts and owners, held fixed, with the routing the solver finds for them,
            // so the phases below start from a whole assignment rather than layouts whose routing is left to search.
            if (CompleteHinted(model, policy, policy.TimeLimit * 0.1) is { } solver0)
            {
                current = ((long)Math.Round(solver0.ObjectiveValue), solver0);
                Hint(model, solver0);
            }
        }

        // Phase 1: serve as much demand as the cluster can. Usually the bound of 0 is met at once.
        var (status1, solver1) = Solve(model.Model, policy, Share(policy, clock, 0.4), out var firstTimer);
        if (status1 is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
        {
            throw new InvalidOperationException($"CP-SAT found no plan at all ({status1}); the model is always feasible, so this is a bug");
        }

        var firstMs = (long)((firstTimer.FirstSeconds ?? solver1.WallTime()) * 1000);
        var leastShortfall = (long)Math.Round(solver1.ObjectiveValue);
        var (bestShortfall, served) = (leastShortfall, solver1);
        if (current is { } kept && leastShortfall > 0 && kept.Shortfall - leastShortfall <= PlanningModel.MaterialShortfall)
        {
            // A cluster that cannot serve everything keeps its current plan unless another serves materially
            // more: the search cannot always prove the least shortfall in time, and a replan must not move
            // slices to serve less than a thousandth of one service's rate more. A plan that serves all is
            // always taken.
            (bestShortfall, served) = kept;
        }

        if (current is null && bestShortfall == 0 && HeuristicStart(problem, model, policy, clock, served) is { } heuristic)
        {
            served = heuristic;
        }

        Hint(model, served);

        // Phase 2: fewest GPUs, with unserved demand held at the level phase 1 settled on. A GPU count alone has an
        // integral bound, so the gap reported is the gap in GPUs.
        model.Model.Add(model.Shortfall <= bestShortfall);
        model.Model.Minimize(model.GpusUsed);
        var (status2, solver2) = Solve(model.Model, policy, Share(policy, clock, 0.8), out _);
        var solved2 = status2 is CpSolverStatus.Optimal or CpSolverStatus.Feasible;
        var gpusUsed = solved2 ? (long)Math.Round(solver2.ObjectiveValue) : model.Groups.Sum(g => (long)g.Count);
        var gpuBound = solved2 ? (long)Math.Ceiling(solver2.BestObjectiveBound - 1e-6) : 0;
        var best = solved2 ? solver2 : served;
        Hint(model, best);

        // Phase 3: with the GPU count fixed, least churn against the current state, then most slices at work.
        model.Model.Add(model.GpusUsed <= gpusUsed);
        model.Model.Minimize(model.Cost());
        var (status3, solver3) = Solve(model.Model, policy, Share(policy, clock, 1.0), out _);
        if (status3 is CpSolverStatus.Optimal or CpSolverStatus.Feasible)
        {
            best = solver3;
        }

        // CP-SAT also says OPTIMAL when it stops at the policy's gap limit, and a kept current plan was not proved.
        var optimal = status1 == CpSolverStatus.Optimal && status2 == CpSolverStatus.Optimal && status3 == CpSolverStatus.Optimal
            && policy.RelativeGapLimit == 0 && bestShortfall == leastShortfall;
        return PlanBuilder.Build(index, Assign(index, model, best), Name, optimal ? "Optimal" : "Feasible") with
        {
            Objective = gpusUsed,
            Bound = gpuBound,
            Gap = gpusUsed == gpuBound ? 0 : Math.Round((gpusUsed - gpuBound) / Math.Max(1.0, gpusUsed), 6),
            SolveTimeMs = clock.ElapsedMilliseconds,
            FirstSolutionMs = firstMs,
        };
    }

    /// <summary>
    /// On an empty cluster phase 1's plan serves everything but with no care for GPUs. Greedy first-fit's
    /// plan, when it needs fewer GPUs, is completed like the current state (its layouts and owners held,
    /// the routing found) and phase 2 starts from it instead, so the exact search never ends above the
    /// heuristic. Null when greedy needs no fewer GPUs or its plan does not carry the load in this model.
    /// </summary>
    private CpSolver? HeuristicStart(PlanningProblem problem, PlanningModel model, PlanningPolicy policy, Stopwatch clock, CpSolver phase1)
    {
        var greedy = new GreedyFirstFitPlanner(catalog).Plan(problem);
        if (!greedy.AllSlosMet || greedy.GpusUsed >= phase1.Value(model.GpusUsed) || !model.HintPlan(greedy.Gpus))
        {
            return null;
        }

        return CompleteHinted(model, policy, Share(policy, clock, 0.1)) is { } solver && Math.Round(solver.ObjectiveValue) == 0 ? solver : null;
    }

    /// <summary>
    /// The hinted layouts and owners held fixed while the solver finds the rest (routing, churn) under the
    /// current objective: a whole solution to start the next phase from, or null when none was found in time.
    /// </summary>
    private static CpSolver? CompleteHinted(PlanningModel model, PlanningPolicy policy, TimeSpan limit)
    {
        var (status, solver) = Solve(model.Model, policy, limit, out _, "fix_variables_to_their_hinted_value:true");
        return status is CpSolverStatus.Optimal or CpSolverStatus.Feasible ? solver : null;
    }

    /// <summary>A share of the time left (at least 100 ms, so a phase can always return its hint).</summary>
    private static TimeSpan Share(PlanningPolicy policy, Stopwatch clock, double share)
    {
        var left = (policy.TimeLimit - clock.Elapsed) * share;
        return left > TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100);
    }

    private static (CpSolverStatus Status, CpSolver Solver) Solve(CpModel model, PlanningPolicy policy, TimeSpan limit, out FirstSolutionTimer timer, params string[] extra)
    {
        var solver = new CpSolver
        {
            StringParameters = string.Join(' ', [
                $"max_time_in_seconds:{limit.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}",
                $"num_workers:{policy.Workers}",
                $"random_seed:{policy.RandomSeed}",
                $"relative_gap_limit:{policy.RelativeGapLimit.ToString("0.######", CultureInfo.InvariantCulture)}",
                // The routing and busy-time rows are linear; with their LP relaxation in the search a
                // single worker completes the current-state hint at once instead of branching for seconds.
                "linearization_level:2",
                // CP-SAT would take over SIGINT during a solve and not give it back to the host's handler;
                // hosts (the operator, local mode) handle Ctrl-C and SIGTERM themselves.
                "catch_sigint_signal:false",
                .. extra]),
        };
        timer = new FirstSolutionTimer();
        var status = solver.Solve(model, timer);
        return (status, solver);
    }

    /// <summary>Starts the next phase from every variable of the last phase's solution (layouts, slices, routing, churn).</summary>
    private static void Hint(PlanningModel model, CpSolver solver)
    {
        model.Model.ClearHints();
        var proto = model.Model.Model!;
        var hint = new PartialVariableAssignment();
        hint.Vars.AddRange(Enumerable.Range(0, proto.Variables.Count));
        hint.Values.AddRange(solver.Response!.Solution.Take(proto.Variables.Count));
        proto.SolutionHint = hint;
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
