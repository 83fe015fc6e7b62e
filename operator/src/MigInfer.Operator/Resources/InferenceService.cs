using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace MigInfer.Operator.Resources;

/// <summary>An InferenceService (miginfer.io/v1alpha1, namespaced, short name migsvc).</summary>
public sealed class InferenceService : IKubernetesObject<V1ObjectMeta>
{
    public const string Plural = "inferenceservices";
    public const string KindName = "InferenceService";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = MigInferApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindName;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public InferenceServiceSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public InferenceServiceStatus? Status { get; set; }
}
