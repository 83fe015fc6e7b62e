using System.Collections.Immutable;

namespace MigInfer.Planning.Plans;

/// <summary>One GPU of the cluster in a plan: its layout with start slots and the owner of each slice.</summary>
public sealed record PlannedGpu(string Node, int Index, string Product, ImmutableArray<Model.PlacedSlice> Slices)
{
    /// <summary>Whether any slice is owned by a service.</summary>
    public bool Used => Slices.Any(s => s.Service is not null);

    /// <summary>The layout as text, e.g. <c>3g.20gb@0 3g.20gb@4</c>.</summary>
    public string LayoutKey => Slices.IsEmpty ? "(empty)" : string.Join(' ', Slices.OrderBy(s => s.Start).Select(s => $"{s.Profile}@{s.Start}"));
}
