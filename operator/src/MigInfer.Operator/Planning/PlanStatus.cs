using System.Collections.Immutable;
using MigInfer.Operator.Resources;
using MigInfer.Planning.Model;
using MigInfer.Planning.Plans;

namespace MigInfer.Operator.Planning;

/// <summary>Writes a plan into MigPlan status and reads it back (the plan is a pure function of its inputs; the status is its memo across restarts).</summary>
internal static class PlanStatus
{
    public static void Write(MigPlanStatus status, MigPlanResult plan, string fingerprint, DateTimeOffset at)
    {
        status.InputHash = fingerprint;
        status.PlannedAt = at.UtcDateTime;
        status.Planner = plan.Planner;
        status.SolverStatus = plan.Status;
        status.Objective = plan.Objective;
        status.Bound = plan.Bound;
        status.Gap = plan.Gap;
        status.SolveTimeMs = plan.SolveTimeMs;
        status.GpusUsed = plan.GpusUsed;
        status.GpusTotal = plan.Gpus.Length;
        status.Gpus = [.. plan.Gpus.Select(g => new PlannedGpuStatus
        {
            Node = g.Node,
            Index = g.Index,
            Product = g.Product,
            Slices = [.. g.Slices.Select(s => new PlannedSliceStatus { Profile = s.Profile, Start = s.Start, Service = s.Service })],
        })];
        status.Services = [.. plan.Services.Select(s => new ServicePlanStatus
        {
            Service = s.Service,
            Slices = s.Slices.ToDictionary(),
            CapacityRps = Math.Round(s.CapacityRps, 3),
            DemandRps = s.DemandRps,
            PredictedLatencyMs = Math.Round(s.PredictedLatencyMs, 3),
            LatencyEstimated = s.LatencyEstimated,
        })];
        status.Unmet = [.. plan.Unmet.Select(u => new UnmetServiceStatus { Service = u.Service, Reason = u.Reason.ToString(), Field = u.Field, Message = u.Message, ShortfallRps = Math.Round(u.ShortfallRps, 3) })];
    }

    public static MigPlanResult? Read(MigPlanStatus? status) => status?.Gpus is null ? null : new MigPlanResult
    {
        Planner = status.Planner ?? "cp-sat",
        Status = status.SolverStatus ?? "Feasible",
        Objective = status.Objective ?? 0,
        Bound = status.Bound ?? 0,
        Gap = status.Gap ?? 0,
        SolveTimeMs = status.SolveTimeMs ?? 0,
        Gpus = [.. status.Gpus.Select(g => new PlannedGpu(g.Node ?? "", g.Index ?? 0, g.Product ?? "",
            [.. (g.Slices ?? []).Select(s => new PlacedSlice(s.Profile ?? "", s.Start ?? 0, s.Service))]))],
        Services = [.. (status.Services ?? []).Select(s => new ServicePlan(s.Service ?? "", (s.Slices ?? []).ToImmutableSortedDictionary(),
            s.CapacityRps ?? 0, s.DemandRps ?? 0, s.PredictedLatencyMs ?? 0, s.LatencyEstimated ?? false))],
        Unmet = [.. (status.Unmet ?? []).Select(u => new UnmetService(u.Service ?? "", Enum.TryParse<UnmetReason>(u.Reason, out var r) ? r : UnmetReason.InsufficientCapacity,
            u.Field, u.Message ?? "", u.ShortfallRps ?? 0))],
        Diff = new PlanDiff([], 0, 0),
    };
}
