using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace MigInfer.Operator.Resources;

/// <summary>The MigPlan (miginfer.io/v1alpha1, cluster-scoped, one named <c>default</c>).</summary>
public sealed class MigPlan : IKubernetesObject<V1ObjectMeta>
{
    public const string Plural = "migplans";
    public const string KindName = "MigPlan";

    /// <summary>The name of the one MigPlan.</summary>
    public const string DefaultName = "default";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = MigInferApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindName;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public MigPlanSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public MigPlanStatus? Status { get; set; }
}
