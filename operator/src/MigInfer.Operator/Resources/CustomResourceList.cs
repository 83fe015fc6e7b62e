using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace MigInfer.Operator.Resources;

/// <summary>A list of custom resources as the API server returns it.</summary>
public sealed class CustomResourceList<T> : IKubernetesObject<V1ListMeta>, IItems<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<T> Items { get; set; } = [];
}
