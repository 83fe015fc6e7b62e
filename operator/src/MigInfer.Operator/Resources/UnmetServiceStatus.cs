using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>A service the plan cannot serve, and why.</summary>
public sealed class UnmetServiceStatus
{
    [JsonPropertyName("service")]
    public string? Service { get; set; }

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("field")]
    public string? Field { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("shortfallRps")]
    public double? ShortfallRps { get; set; }
}
