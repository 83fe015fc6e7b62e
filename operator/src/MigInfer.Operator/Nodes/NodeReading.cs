using MigInfer.Planning.Model;

namespace MigInfer.Operator.Nodes;

/// <summary>What a Node's NVIDIA labels say: a GPU node that takes part (with its inventory), one left out and why, or no GPU node at all.</summary>
internal sealed record NodeReading(string Node, NodeInventory? Inventory, string? Reason, string? Message)
{
    public bool Participates => Inventory is not null;

    public bool IsGpuNode => Inventory is not null || Reason is not null;
}
