using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>spec.traffic.lognormal.</summary>
public sealed class LogNormalSpec
{
    [JsonPropertyName("median")]
    public double? Median { get; set; }

    [JsonPropertyName("sigma")]
    public double? Sigma { get; set; }

    [JsonPropertyName("max")]
    public int? Max { get; set; }
}
