namespace MigInfer.Planning.Documents;

/// <summary>A MIG instance and its owner.</summary>
public sealed class SliceDocument
{
    public string? Profile { get; set; }
    public int? Start { get; set; }
    public string? Service { get; set; }
}
