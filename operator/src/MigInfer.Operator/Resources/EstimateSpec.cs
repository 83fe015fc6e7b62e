using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>spec.profile.estimate.</summary>
public sealed class EstimateSpec
{
    [JsonPropertyName("gflopsPerSample")]
    public double? GflopsPerSample { get; set; }

    [JsonPropertyName("weightMiB")]
    public double? WeightMiB { get; set; }

    [JsonPropertyName("activationMiBPerSample")]
    public double? ActivationMiBPerSample { get; set; }

    [JsonPropertyName("precision")]
    public string? Precision { get; set; }
}
