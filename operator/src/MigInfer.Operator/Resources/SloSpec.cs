using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>spec.slo: the server-side latency target.</summary>
public sealed class SloSpec
{
    [JsonPropertyName("latencyMs")]
    public double? LatencyMs { get; set; }

    /// <summary>
    /// The percentage of requests to answer within <see cref="LatencyMs"/>, which slice pods export for the alerts
    /// (<c>miginfer_slo_objective_ratio</c>); the planner and the servers hold every request to <see cref="LatencyMs"/>.
    /// </summary>
    [JsonPropertyName("percentile")]
    public double? Percentile { get; set; }
}
