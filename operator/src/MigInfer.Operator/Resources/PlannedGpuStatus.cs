using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>One GPU of the plan.</summary>
public sealed class PlannedGpuStatus
{
    [JsonPropertyName("node")]
    public string? Node { get; set; }

    [JsonPropertyName("index")]
    public int? Index { get; set; }

    [JsonPropertyName("product")]
    public string? Product { get; set; }

    [JsonPropertyName("slices")]
    public List<PlannedSliceStatus>? Slices { get; set; }
}
