using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>One entry of spec.traffic.batchSizes.</summary>
public sealed class BatchSizeSpec
{
    [JsonPropertyName("size")]
    public int? Size { get; set; }

    [JsonPropertyName("weight")]
    public double? Weight { get; set; }
}
