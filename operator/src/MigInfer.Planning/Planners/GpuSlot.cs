using System.Collections.Immutable;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Layouts;
using MigInfer.Planning.Model;

namespace MigInfer.Planning.Planners;

/// <summary>One concrete GPU: where it is, what board it is, and its current layout and owners.</summary>
internal sealed record GpuSlot(NodeInventory Node, int Index, GpuProduct Product, MigLayout Current, ImmutableArray<PlacedSlice> CurrentSlices)
{
    /// <summary>Current owner of each slice of <see cref="Current"/>, keyed by (profile, start).</summary>
    public string? OwnerAt(MigSlice slice) =>
        CurrentSlices.FirstOrDefault(s => s.Profile == slice.Profile.Name && s.Start == slice.Start)?.Service;
}
