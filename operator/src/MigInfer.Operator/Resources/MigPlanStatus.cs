using System.Text.Json.Serialization;
using k8s.Models;

namespace MigInfer.Operator.Resources;

/// <summary>status of the MigPlan: the current plan and the rollout's progress.</summary>
public sealed class MigPlanStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("conditions")]
    public List<V1Condition>? Conditions { get; set; }

    [JsonPropertyName("inputHash")]
    public string? InputHash { get; set; }

    [JsonPropertyName("plannedAt")]
    public DateTime? PlannedAt { get; set; }

    [JsonPropertyName("planner")]
    public string? Planner { get; set; }

    [JsonPropertyName("solverStatus")]
    public string? SolverStatus { get; set; }

    [JsonPropertyName("objective")]
    public long? Objective { get; set; }

    [JsonPropertyName("bound")]
    public long? Bound { get; set; }

    [JsonPropertyName("gap")]
    public double? Gap { get; set; }

    [JsonPropertyName("solveTimeMs")]
    public long? SolveTimeMs { get; set; }

    [JsonPropertyName("gpusUsed")]
    public int? GpusUsed { get; set; }

    [JsonPropertyName("gpusTotal")]
    public int? GpusTotal { get; set; }

    [JsonPropertyName("gpus")]
    public List<PlannedGpuStatus>? Gpus { get; set; }

    [JsonPropertyName("services")]
    public List<ServicePlanStatus>? Services { get; set; }

    [JsonPropertyName("unmet")]
    public List<UnmetServiceStatus>? Unmet { get; set; }

    [JsonPropertyName("excludedNodes")]
    public List<ExcludedNodeStatus>? ExcludedNodes { get; set; }

    [JsonPropertyName("rollout")]
    public RolloutStatus? Rollout { get; set; }
}
