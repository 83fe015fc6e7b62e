using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>spec.traffic: load and request sizes.</summary>
public sealed class TrafficSpec
{
    [JsonPropertyName("requestsPerSecond")]
    public double? RequestsPerSecond { get; set; }

    [JsonPropertyName("batchSizes")]
    public List<BatchSizeSpec>? BatchSizes { get; set; }

    [JsonPropertyName("lognormal")]
    public LogNormalSpec? Lognormal { get; set; }
}
