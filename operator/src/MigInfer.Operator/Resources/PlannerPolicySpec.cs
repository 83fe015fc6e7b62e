using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>spec.planner of the MigPlan: which latencies the planner plans with.</summary>
public sealed class PlannerPolicySpec
{
    /// <summary>Measured points (status.observedProfile, enough samples) replace the spec's for the same profile and batch.</summary>
    [JsonPropertyName("useObservedProfile")]
    public bool? UseObservedProfile { get; set; }
}
