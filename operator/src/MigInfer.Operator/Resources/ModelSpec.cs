using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>spec.model: the model file and its limits.</summary>
public sealed class ModelSpec
{
    [JsonPropertyName("storageUri")]
    public string? StorageUri { get; set; }

    [JsonPropertyName("format")]
    public string? Format { get; set; }

    [JsonPropertyName("maxBatchSize")]
    public int? MaxBatchSize { get; set; }

    [JsonPropertyName("memoryMiB")]
    public int? MemoryMiB { get; set; }

    /// <summary>Longest lengths of symbolic input dimensions past the batch, by name; the slice servers' <c>--max-dims</c>.</summary>
    [JsonPropertyName("maxDims")]
    public Dictionary<string, long>? MaxDims { get; set; }
}
