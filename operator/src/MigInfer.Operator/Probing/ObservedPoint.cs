using System.Text.Json.Serialization;

namespace MigInfer.Operator.Probing;

/// <summary>One measured latency of a slice's server: mean execution time of batches of one size, over that many samples.</summary>
internal sealed record ObservedPoint
{
    [JsonPropertyName("batch")]
    public int Batch { get; init; }

    [JsonPropertyName("ms")]
    public double Ms { get; init; }

    [JsonPropertyName("samples")]
    public long Samples { get; init; }

    [JsonPropertyName("errorPct")]
    public double? ErrorPct { get; init; }
}
