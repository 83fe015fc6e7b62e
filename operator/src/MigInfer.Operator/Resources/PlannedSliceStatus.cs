using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>One slice of a planned GPU.</summary>
public sealed class PlannedSliceStatus
{
    [JsonPropertyName("profile")]
    public string? Profile { get; set; }

    [JsonPropertyName("start")]
    public int? Start { get; set; }

    [JsonPropertyName("service")]
    public string? Service { get; set; }
}
