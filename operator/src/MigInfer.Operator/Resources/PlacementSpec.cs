using System.Text.Json.Serialization;
using k8s.Models;

namespace MigInfer.Operator.Resources;

/// <summary>spec.placement.</summary>
public sealed class PlacementSpec
{
    [JsonPropertyName("allowedProfiles")]
    public List<string>? AllowedProfiles { get; set; }

    [JsonPropertyName("nodeSelector")]
    public Dictionary<string, string>? NodeSelector { get; set; }

    [JsonPropertyName("tolerations")]
    public List<V1Toleration>? Tolerations { get; set; }

    [JsonPropertyName("minSlices")]
    public int? MinSlices { get; set; }
}
