using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>spec.profile.profileRef: a ConfigMap of the service's namespace that holds the latency table.</summary>
public sealed class ProfileRefSpec
{
    [JsonPropertyName("configMap")]
    public string? ConfigMap { get; set; }

    [JsonPropertyName("key")]
    public string? Key { get; set; }
}
