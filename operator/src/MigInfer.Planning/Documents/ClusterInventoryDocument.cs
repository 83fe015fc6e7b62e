namespace MigInfer.Planning.Documents;

/// <summary>A ClusterInventory as read from YAML.</summary>
public sealed class ClusterInventoryDocument
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public List<NodeDocument>? Nodes { get; set; }
}
