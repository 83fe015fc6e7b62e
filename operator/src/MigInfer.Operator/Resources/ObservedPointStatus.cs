using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>One entry of status.observedProfile: a latency measured by the service's slices of one profile at one batch size.</summary>
public sealed class ObservedPointStatus
{
    [JsonPropertyName("profile")]
    public string? Profile { get; set; }

    [JsonPropertyName("batch")]
    public int? Batch { get; set; }

    /// <summary>Mean over the reporting slices, weighted by their samples.</summary>
    [JsonPropertyName("ms")]
    public double? Ms { get; set; }

    /// <summary>Samples behind <see cref="Ms"/>, over all reporting slices.</summary>
    [JsonPropertyName("samples")]
    public long? Samples { get; set; }

    /// <summary>How many slices reported this point.</summary>
    [JsonPropertyName("slices")]
    public int? Slices { get; set; }
}
