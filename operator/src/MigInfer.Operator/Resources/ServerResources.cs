using System.Text.Json.Serialization;
using k8s.Models;

namespace MigInfer.Operator.Resources;

/// <summary>spec.server.resources: CPU and memory of the server container.</summary>
public sealed class ServerResources
{
    [JsonPropertyName("requests")]
    public Dictionary<string, ResourceQuantity>? Requests { get; set; }

    [JsonPropertyName("limits")]
    public Dictionary<string, ResourceQuantity>? Limits { get; set; }
}
