using System.Collections.Immutable;
using System.Globalization;
using k8s.Models;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Model;

namespace MigInfer.Operator.Nodes;

/// <summary>
/// Reads GPU Feature Discovery's labels into the planner's <see cref="NodeInventory"/>. A node with
/// a GPU product label that cannot take part (MIG not capable, strategy not mixed, unknown product,
/// no GPU count, cordoned, not ready) is left out with a CamelCase reason and a message naming the label,
/// field or taint.
/// </summary>
internal static class GpuNodeReader
{
    /// <summary>The node controller's taints for a node whose Ready condition is False or Unknown (NoSchedule at once, NoExecute after its grace period).</summary>
    private const string NotReadyTaint = "node.kubernetes.io/not-ready";
    private const string UnreachableTaint = "node.kubernetes.io/unreachable";

    public static NodeReading Read(V1Node node, GpuCatalog catalog)
    {
        var name = node.Metadata.Name;
        var labels = node.Metadata.Labels is { } l ? l.ToDictionary() : new Dictionary<string, string>();
        if (!labels.TryGetValue(WellKnown.GpuProduct, out var product))
        {
            return new NodeReading(name, null, null, null);
        }

        if (labels.GetValueOrDefault(WellKnown.MigCapable) != "true")
        {
            return Excluded(name, "MigNotCapable", $"{WellKnown.MigCapable} is {labels.GetValueOrDefault(WellKnown.MigCapable) ?? "(missing)"}; the GPUs cannot be split");
        }

        if (labels.GetValueOrDefault(WellKnown.MigStrategy) != "mixed")
        {
            return Excluded(name, "MigStrategyNotMixed", $"{WellKnown.MigStrategy} is {labels.GetValueOrDefault(WellKnown.MigStrategy) ?? "(missing)"}; slices of different sizes need the device plugin's mixed strategy");
        }

        if (!catalog.TryResolve(product, out var board))
        {
            return Excluded(name, "UnknownGpuProduct", $"{WellKnown.GpuProduct} is {product}; known products: {string.Join(", ", catalog.Products.SelectMany(p => p.ProductLabels))}");
        }

        if (!int.TryParse(labels.GetValueOrDefault(WellKnown.GpuCount), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            return Excluded(name, "GpuCountUnknown", $"{WellKnown.GpuCount} is {labels.GetValueOrDefault(WellKnown.GpuCount) ?? "(missing)"}; it must be a positive integer");
        }

        if (node.Spec?.Unschedulable == true)
        {
            return Excluded(name, "NodeCordoned", "spec.unschedulable is true; new slice pods could not be scheduled there, so its GPUs stay out of the plan until it is uncordoned");
        }

        if (node.Spec?.Taints?.FirstOrDefault(t => t.Key is NotReadyTaint or UnreachableTaint) is { } taint)
        {
            return Excluded(name, "NodeNotReady", $"taint {taint.Key}:{taint.Effect}; its kubelet is not ready, so its GPUs stay out of the plan until the node controller lifts the taint");
        }

        return new NodeReading(name, new NodeInventory
        {
            Name = name,
            GpuProduct = board.ProductLabels.Contains(product) ? product : product.Split("-MIG-")[0],
            GpuCount = count,
            Labels = labels.ToImmutableDictionary(),
        }, null, null);
    }

    private static NodeReading Excluded(string name, string reason, string message) => new(name, null, reason, message);
}
