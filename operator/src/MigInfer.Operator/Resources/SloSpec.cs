using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>spec.slo: the server-side latency target.</summary>
public sealed class SloSpec
{
    [JsonPropertyName("latencyMs")]
    public double? LatencyMs { get; set; }

    /// <summary>The percentile attainment is judged at; the planner and the servers hold every request to <see cref="LatencyMs"/>.</summary>
    [JsonPropertyName("percentile")]
    public double? Percentile { get; set; }
}
