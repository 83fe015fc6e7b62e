using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>One planned slice of a service and its pod.</summary>
public sealed class SliceStatus
{
    [JsonPropertyName("profile")]
    public string? Profile { get; set; }

    [JsonPropertyName("node")]
    public string? Node { get; set; }

    [JsonPropertyName("gpu")]
    public int? Gpu { get; set; }

    [JsonPropertyName("start")]
    public int? Start { get; set; }

    [JsonPropertyName("pod")]
    public string? Pod { get; set; }

    [JsonPropertyName("ready")]
    public bool? Ready { get; set; }
}
