namespace MigInfer.Planning.Documents;

/// <summary>The current state of one GPU.</summary>
public sealed class GpuDocument
{
    public int? Index { get; set; }
    public List<SliceDocument>? Slices { get; set; }
}
