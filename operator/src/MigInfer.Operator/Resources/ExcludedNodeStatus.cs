using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>A GPU node left out of the plan.</summary>
public sealed class ExcludedNodeStatus
{
    [JsonPropertyName("node")]
    public string? Node { get; set; }

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }
}
