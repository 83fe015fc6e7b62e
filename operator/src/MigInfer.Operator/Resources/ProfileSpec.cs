using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>spec.profile: measured latencies on one product, model costs for an estimate, or a ConfigMap holding the latencies.</summary>
public sealed class ProfileSpec
{
    [JsonPropertyName("gpuProduct")]
    public string? GpuProduct { get; set; }

    [JsonPropertyName("source")]
    public string? Source { get; set; }

    [JsonPropertyName("latencies")]
    public List<LatencyPointSpec>? Latencies { get; set; }

    [JsonPropertyName("estimate")]
    public EstimateSpec? Estimate { get; set; }

    [JsonPropertyName("profileRef")]
    public ProfileRefSpec? ProfileRef { get; set; }
}
