using System.Text.Json.Serialization;
using k8s.Models;

namespace MigInfer.Operator.Resources;

/// <summary>status of an InferenceService, rebuilt from the cluster on every pass.</summary>
public sealed class InferenceServiceStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("conditions")]
    public List<V1Condition>? Conditions { get; set; }

    [JsonPropertyName("url")]
    public string? Url { get; set; }

    [JsonPropertyName("grpcUrl")]
    public string? GrpcUrl { get; set; }

    [JsonPropertyName("restUrl")]
    public string? RestUrl { get; set; }

    [JsonPropertyName("slices")]
    public List<SliceStatus>? Slices { get; set; }

    [JsonPropertyName("slicesSummary")]
    public string? SlicesSummary { get; set; }

    [JsonPropertyName("plannedCapacityRps")]
    public double? PlannedCapacityRps { get; set; }

    [JsonPropertyName("predictedLatencyMs")]
    public double? PredictedLatencyMs { get; set; }

    [JsonPropertyName("latencyEstimated")]
    public bool? LatencyEstimated { get; set; }

    [JsonPropertyName("observedProfile")]
    public List<ObservedPointStatus>? ObservedProfile { get; set; }
}
