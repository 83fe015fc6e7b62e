using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>spec.gpuOperator of the MigPlan: where the MIG manager reads its configuration.</summary>
public sealed class GpuOperatorSpec
{
    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    [JsonPropertyName("configMapName")]
    public string? ConfigMapName { get; set; }
}
