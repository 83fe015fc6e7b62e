using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>Rollout progress of the MigPlan.</summary>
public sealed class RolloutStatus
{
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    [JsonPropertyName("gpusToChange")]
    public int? GpusToChange { get; set; }

    [JsonPropertyName("gpusInFlight")]
    public int? GpusInFlight { get; set; }

    [JsonPropertyName("nodes")]
    public List<NodeRolloutStatus>? Nodes { get; set; }
}
