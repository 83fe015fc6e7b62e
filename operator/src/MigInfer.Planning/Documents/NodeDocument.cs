namespace MigInfer.Planning.Documents;

/// <summary>One node of the inventory.</summary>
public sealed class NodeDocument
{
    public string? Name { get; set; }
    public string? GpuProduct { get; set; }
    public int? GpuCount { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public List<GpuDocument>? Gpus { get; set; }
}
