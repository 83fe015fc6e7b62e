using System.Collections.Immutable;

namespace MigInfer.Planning.Plans;

/// <summary>
/// A plan for the whole cluster: every GPU with its layout and owners, per-service capacity and
/// latency, what cannot be met, the solver's objective, bound and gap, and the diff against the
/// current state. Baselines produce the same shape so plans compare directly.
/// </summary>
public sealed record MigPlanResult
{
    public required string Planner { get; init; }

    public required ImmutableArray<PlannedGpu> Gpus { get; init; }

    public required ImmutableArray<ServicePlan> Services { get; init; }

    public required ImmutableArray<UnmetService> Unmet { get; init; }

    public required PlanDiff Diff { get; init; }

    public int GpusUsed => Gpus.Count(g => g.Used);

    public long Objective { get; init; }

    public long Bound { get; init; }

    public double Gap { get; init; }

    public long SolveTimeMs { get; init; }

    /// <summary>Wall time until the first feasible plan, when a solver reports it.</summary>
    public long? FirstSolutionMs { get; init; }

    /// <summary>Optimal, Feasible, or Heuristic for baselines.</summary>
    public required string Status { get; init; }

    public bool AllSlosMet => Unmet.IsEmpty;
}
