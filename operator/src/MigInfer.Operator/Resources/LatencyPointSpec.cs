using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>One entry of spec.profile.latencies.</summary>
public sealed class LatencyPointSpec
{
    [JsonPropertyName("profile")]
    public string? Profile { get; set; }

    [JsonPropertyName("batch")]
    public int? Batch { get; set; }

    [JsonPropertyName("ms")]
    public double? Ms { get; set; }
}
