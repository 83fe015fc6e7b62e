using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>Rollout progress of one node.</summary>
public sealed class NodeRolloutStatus
{
    [JsonPropertyName("node")]
    public string? Node { get; set; }

    [JsonPropertyName("config")]
    public string? Config { get; set; }

    [JsonPropertyName("state")]
    public string? State { get; set; }

    [JsonPropertyName("gpusChanging")]
    public List<int>? GpusChanging { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }
}
