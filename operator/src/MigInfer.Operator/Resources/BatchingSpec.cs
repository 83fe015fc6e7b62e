using System.Text.Json.Serialization;

namespace MigInfer.Operator.Resources;

/// <summary>spec.batching (Triton's vocabulary).</summary>
public sealed class BatchingSpec
{
    [JsonPropertyName("maxQueueDelayMicroseconds")]
    public int? MaxQueueDelayMicroseconds { get; set; }

    [JsonPropertyName("preferredBatchSizes")]
    public List<int>? PreferredBatchSizes { get; set; }

    [JsonPropertyName("maxQueueSize")]
    public int? MaxQueueSize { get; set; }
}
