using System.Collections.Immutable;

namespace MigInfer.Planning.Plans;

/// <summary>
/// The plan against the current state: GPUs to re-lay out, running slices that lose their
/// service (their pods are drained), and slices that gain one.
/// </summary>
public sealed record PlanDiff(ImmutableArray<GpuChange> Changes, int SlicesMoved, int SlicesAdded)
{
    public int GpusChanged => Changes.Length;

    public static PlanDiff Between(IEnumerable<PlannedGpu> current, IEnumerable<PlannedGpu> next)
    {
        var before = current.ToDictionary(g => (g.Node, g.Index));
        var changes = ImmutableArray.CreateBuilder<GpuChange>();
        int moved = 0, added = 0;
        foreach (var gpu in next)
        {
            var old = before.GetValueOrDefault((gpu.Node, gpu.Index));
            var oldKey = old?.LayoutKey ?? "(empty)";
            var relaid = oldKey != gpu.LayoutKey;
            if (relaid)
            {
                changes.Add(new GpuChange(gpu.Node, gpu.Index, oldKey, gpu.LayoutKey));
            }

            var oldOwners = (old?.Slices ?? []).Where(s => s.Service is not null).Select(s => (s.Profile, s.Start, s.Service)).ToHashSet();
            var newOwners = gpu.Slices.Where(s => s.Service is not null).Select(s => (s.Profile, s.Start, s.Service)).ToHashSet();

            // Re-laying out a GPU destroys every instance on it, so every running slice there is
            // drained, even one that comes back at the same start for the same service.
            moved += relaid ? oldOwners.Count : oldOwners.Count(o => !newOwners.Contains(o));
            added += relaid ? newOwners.Count : newOwners.Count(o => !oldOwners.Contains(o));
        }

        return new PlanDiff(changes.ToImmutable(), moved, added);
    }
}
