namespace MigInfer.Planning.Documents;

/// <summary>One entry of spec.traffic.batchSizes.</summary>
public sealed class BatchSizeDocument
{
    public int? Size { get; set; }
    public double? Weight { get; set; }
}
