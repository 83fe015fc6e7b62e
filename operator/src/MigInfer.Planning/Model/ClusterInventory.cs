using System.Collections.Immutable;

namespace MigInfer.Planning.Model;

/// <summary>The GPU nodes of a cluster, as the operator reads them or an inventory file lists them.</summary>
public sealed record ClusterInventory(ImmutableArray<NodeInventory> Nodes);
