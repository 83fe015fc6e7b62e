using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>spec.slo: the server-side latency target.</summary>
public sealed class SloSpec
{
    [JsonPropertyName("latencyMs")]
    public double? LatencyMs { get; set; }

    [JsonPropertyName("percentile")]
    public double? Percentile { get; set; }
}
