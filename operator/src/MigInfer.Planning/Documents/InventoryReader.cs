using System.Collections.Immutable;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Model;
using MigInfer.Planning.Planners;

namespace MigInfer.Planning.Documents;

/// <summary>Reads a ClusterInventory YAML file into the planner's <see cref="ClusterInventory"/>.</summary>
public static class InventoryReader
{
    /// <summary>
    /// Reads <paramref name="text"/> and makes the planner's checks of the cluster against <paramref name="catalog"/>, so
    /// that every problem is a <see cref="DocumentException"/> naming <paramref name="source"/>.
    /// </summary>
    public static ClusterInventory Read(string text, string source, GpuCatalog catalog) => Checked(Read(text, source), catalog, source);

    /// <summary>
    /// The planner's checks of a cluster (known products, GPU indexes, valid current layouts), with the file that
    /// described it named: <paramref name="source"/> is the inventory, or the plan that gave the current layouts.
    /// </summary>
    public static ClusterInventory Checked(ClusterInventory cluster, GpuCatalog catalog, string source)
    {
        try
        {
            PlanningIndex.ResolveGpus(cluster, catalog);
            return cluster;
        }
        catch (PlanningInputException e)
        {
            throw new DocumentException($"{source}: {e.Message}", e);
        }
    }

    private static ClusterInventory Read(string text, string source)
    {
        var documents = YamlDocuments.Split(text, source).Where(d => d.Kind == "ClusterInventory").ToList();
        if (documents.Count != 1)
        {
            throw new DocumentException($"{source}: expected exactly one document of kind ClusterInventory, found {documents.Count}");
        }

        var (chunk, firstLine, _) = documents[0];
        var doc = YamlDocuments.Read<ClusterInventoryDocument>(chunk, source, firstLine);
        if (doc.Nodes is not { Count: > 0 })
        {
            throw new DocumentException($"{source}: ClusterInventory: nodes is missing or empty");
        }

        return new ClusterInventory([.. doc.Nodes.Select((n, i) => Node(n, $"{source}: nodes[{i}]"))]);
    }

    private static NodeInventory Node(NodeDocument node, string where)
    {
        var name = node.Name ?? throw new DocumentException($"{where}: name is missing");
        where = $"{where} ({name})";
        return new NodeInventory
        {
            Name = name,
            GpuProduct = node.GpuProduct ?? throw new DocumentException($"{where}: gpuProduct is missing"),
            GpuCount = node.GpuCount is >= 0 and var count ? count : throw new DocumentException($"{where}: gpuCount = {node.GpuCount?.ToString() ?? "(missing)"} must be a non-negative integer"),
            Labels = (node.Labels ?? []).ToImmutableDictionary(),
            Gpus = [.. (node.Gpus ?? []).Select((g, i) => Gpu(g, $"{where}: gpus[{i}]"))],
        };
    }

    private static GpuState Gpu(GpuDocument gpu, string where) => new(
        gpu.Index ?? throw new DocumentException($"{where}: index is missing"),
        [.. (gpu.Slices ?? []).Select((s, i) => new PlacedSlice(
            s.Profile ?? throw new DocumentException($"{where}.slices[{i}]: profile is missing"),
            s.Start ?? throw new DocumentException($"{where}.slices[{i}]: start is missing"),
            s.Service))]);
}
