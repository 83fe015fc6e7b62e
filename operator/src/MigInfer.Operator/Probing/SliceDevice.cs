using System.Text.Json.Serialization;

namespace MigInfer.Operator.Probing;

/// <summary>The MIG device a slice's server runs on, as the device plugin gave it (any field may be unknown).</summary>
internal sealed record SliceDevice
{
    [JsonPropertyName("visibleDevices")]
    public string? VisibleDevices { get; init; }

    [JsonPropertyName("migUuid")]
    public string? MigUuid { get; init; }

    [JsonPropertyName("gpuUuid")]
    public string? GpuUuid { get; init; }

    [JsonPropertyName("gpuIndex")]
    public int? GpuIndex { get; init; }

    [JsonPropertyName("gpuInstanceId")]
    public int? GpuInstanceId { get; init; }
}
