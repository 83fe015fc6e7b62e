using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>spec.server: overrides of the operator's server defaults.</summary>
public sealed class ServerSpec
{
    [JsonPropertyName("image")]
    public string? Image { get; set; }

    [JsonPropertyName("resources")]
    public ServerResources? Resources { get; set; }
}
