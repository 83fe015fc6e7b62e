namespace MigInfer.Planning.Documents;

/// <summary>spec.batching (Triton's vocabulary).</summary>
public sealed class BatchingDocument
{
    public int? MaxQueueDelayMicroseconds { get; set; }
    public List<int>? PreferredBatchSizes { get; set; }
    public int? MaxQueueSize { get; set; }
}
