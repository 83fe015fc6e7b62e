using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>What the plan gives one service.</summary>
public sealed class ServicePlanStatus
{
    [JsonPropertyName("service")]
    public string? Service { get; set; }

    [JsonPropertyName("slices")]
    public Dictionary<string, int>? Slices { get; set; }

    [JsonPropertyName("capacityRps")]
    public double? CapacityRps { get; set; }

    [JsonPropertyName("demandRps")]
    public double? DemandRps { get; set; }

    [JsonPropertyName("predictedLatencyMs")]
    public double? PredictedLatencyMs { get; set; }

    [JsonPropertyName("latencyEstimated")]
    public bool? LatencyEstimated { get; set; }
}
