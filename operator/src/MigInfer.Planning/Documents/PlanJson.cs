using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using MigInfer.Planning.Model;
using MigInfer.Planning.Plans;

namespace MigInfer.Planning.Documents;

/// <summary>
/// The plan as JSON (DESIGN.md section 4.1): what <c>miginfer plan --output json</c> prints and
/// <c>--current</c> reads back as the cluster's current state.
/// </summary>
public static class PlanJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Write(MigPlanResult plan) => JsonSerializer.Serialize(new
    {
        planner = plan.Planner,
        gpus = plan.Gpus.Select(g => new { node = g.Node, index = g.Index, product = g.Product, slices = g.Slices.Select(s => new { profile = s.Profile, start = s.Start, service = s.Service }) }),
        services = plan.Services.Select(s => new
        {
            service = s.Service,
            slices = s.Slices,
            capacityRps = s.CapacityRps,
            demandRps = s.DemandRps,
            predictedLatencyMs = s.PredictedLatencyMs,
            latencyEstimated = s.LatencyEstimated,
        }),
        gpusUsed = plan.GpusUsed,
        gpusTotal = plan.Gpus.Length,
        objective = plan.Objective,
        bound = plan.Bound,
        gap = plan.Gap,
        solveTimeMs = plan.SolveTimeMs,
        firstSolutionMs = plan.FirstSolutionMs,
        status = plan.Status,
        unmet = plan.Unmet.Select(u => new { service = u.Service, reason = u.Reason.ToString(), field = u.Field, message = u.Message, shortfallRps = u.ShortfallRps }),
        diff = new { gpusChanged = plan.Diff.GpusChanged, slicesMoved = plan.Diff.SlicesMoved, slicesAdded = plan.Diff.SlicesAdded, changes = plan.Diff.Changes },
    }, Options);

    /// <summary>Reads the GPUs of a plan as the current state to re-plan from, by node.</summary>
    public static ImmutableDictionary<string, ImmutableArray<GpuState>> ReadCurrent(string json, string source)
    {
        CurrentPlan? plan;
        try
        {
            plan = JsonSerializer.Deserialize<CurrentPlan>(json, Options);
        }
        catch (JsonException e)
        {
            throw new DocumentException($"{source}:{(e.LineNumber ?? 0) + 1}: {e.Message.Split(" Path:")[0]}", e);
        }

        if (plan?.Gpus is null)
        {
            throw new DocumentException($"{source}: a plan needs a gpus array");
        }

        return plan.Gpus
            .Select((g, i) => (g, i))
            .GroupBy(x => x.g.Node ?? throw new DocumentException($"{source}: gpus[{x.i}].node is missing"))
            .ToImmutableDictionary(
                n => n.Key,
                n => n.Select(x => new GpuState(x.g.Index, [.. (x.g.Slices ?? []).Select(s => new PlacedSlice(
                    s.Profile ?? throw new DocumentException($"{source}: gpus[{x.i}].slices[].profile is missing"), s.Start, s.Service))])).ToImmutableArray());
    }

    /// <summary>Applies a plan's GPUs as the current state of the inventory's nodes.</summary>
    public static ClusterInventory WithCurrent(ClusterInventory cluster, ImmutableDictionary<string, ImmutableArray<GpuState>> current, string source)
    {
        var unknown = current.Keys.FirstOrDefault(n => cluster.Nodes.All(x => x.Name != n));
        if (unknown is not null)
        {
            throw new DocumentException($"{source}: node {unknown} is not in the cluster inventory");
        }

        return new ClusterInventory([.. cluster.Nodes.Select(n => current.TryGetValue(n.Name, out var gpus) ? n with { Gpus = gpus } : n)]);
    }

    internal sealed record CurrentPlan(List<CurrentGpu>? Gpus);

    internal sealed record CurrentGpu(string? Node, int Index, List<CurrentSlice>? Slices);

    internal sealed record CurrentSlice(string? Profile, int Start, string? Service);
}
