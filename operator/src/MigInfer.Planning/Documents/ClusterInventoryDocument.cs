namespace MigInfer.Planning.Documents;

// The ClusterInventory file (docs/planner.md): what the operator would read from Node objects.

/// <summary>A ClusterInventory as read from YAML.</summary>
public sealed class ClusterInventoryDocument
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public List<NodeDocument>? Nodes { get; set; }
}

/// <summary>One node of the inventory.</summary>
public sealed class NodeDocument
{
    public string? Name { get; set; }
    public string? GpuProduct { get; set; }
    public int? GpuCount { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public List<GpuDocument>? Gpus { get; set; }
}

/// <summary>The current state of one GPU.</summary>
public sealed class GpuDocument
{
    public int? Index { get; set; }
    public List<SliceDocument>? Slices { get; set; }
}

/// <summary>A MIG instance and its owner.</summary>
public sealed class SliceDocument
{
    public string? Profile { get; set; }
    public int? Start { get; set; }
    public string? Service { get; set; }
}
