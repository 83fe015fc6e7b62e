using System.Text.Json.Serialization;

namespace MigInfer.Operator.Probing;

/// <summary>What a slice's server answers on <c>GET /v2/slice</c> (port 8000): its model, profile, the MIG device it was given and its measured latencies.</summary>
internal sealed record SliceReport
{
    [JsonPropertyName("model")]
    public string? Model { get; init; }

    [JsonPropertyName("version")]
    public string? Version { get; init; }

    [JsonPropertyName("sliceProfile")]
    public string? SliceProfile { get; init; }

    [JsonPropertyName("executionProvider")]
    public string? ExecutionProvider { get; init; }

    [JsonPropertyName("ready")]
    public bool Ready { get; init; }

    [JsonPropertyName("device")]
    public SliceDevice? Device { get; init; }

    [JsonPropertyName("observedProfile")]
    public IReadOnlyList<ObservedPoint>? ObservedProfile { get; init; }

    /// <summary>The <c>miginfer.io/mig-device</c> annotation this report asks for (<c>gpuIndex/migUuid</c>), or null when it names no GPU.</summary>
    [JsonIgnore]
    public string? MigDevice => Device?.GpuIndex is { } gpu ? $"{gpu.ToString(System.Globalization.CultureInfo.InvariantCulture)}/{Device.MigUuid}" : null;
}
