using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>spec of the MigPlan: planner policy and rollout budget.</summary>
public sealed class MigPlanSpec
{
    [JsonPropertyName("solveTimeLimitSeconds")]
    public double? SolveTimeLimitSeconds { get; set; }

    [JsonPropertyName("beta")]
    public double? Beta { get; set; }

    [JsonPropertyName("rho")]
    public double? Rho { get; set; }

    [JsonPropertyName("gpuChangeWeight")]
    public int? GpuChangeWeight { get; set; }

    [JsonPropertyName("relativeGapLimit")]
    public double? RelativeGapLimit { get; set; }

    [JsonPropertyName("debounceSeconds")]
    public double? DebounceSeconds { get; set; }

    [JsonPropertyName("planner")]
    public PlannerPolicySpec? Planner { get; set; }

    [JsonPropertyName("rollout")]
    public RolloutPolicySpec? Rollout { get; set; }

    [JsonPropertyName("gpuOperator")]
    public GpuOperatorSpec? GpuOperator { get; set; }
}
