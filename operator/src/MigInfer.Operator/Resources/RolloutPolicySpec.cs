using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>spec.rollout of the MigPlan.</summary>
public sealed class RolloutPolicySpec
{
    [JsonPropertyName("maxGpusInFlight")]
    public int? MaxGpusInFlight { get; set; }

    [JsonPropertyName("migConfigTimeoutSeconds")]
    public int? MigConfigTimeoutSeconds { get; set; }

    [JsonPropertyName("retryBackoffSeconds")]
    public int? RetryBackoffSeconds { get; set; }

    /// <summary>Whether every InferenceService gets a PodDisruptionBudget over its slice pods (default true).</summary>
    [JsonPropertyName("disruptionBudgets")]
    public bool? DisruptionBudgets { get; set; }
}
