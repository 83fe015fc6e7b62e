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
            if (oldKey != gpu.LayoutKey)
            {
                changes.Add(new GpuChange(gpu.Node, gpu.Index, oldKey, gpu.LayoutKey));
            }

            var oldOwners = (old?.Slices ?? []).Where(s => s.Service is not null).Select(s => (s.Profile, s.Start, s.Service)).ToHashSet();
            var newOwners = gpu.Slices.Where(s => s.Service is not null).Select(s => (s.Profile, s.Start, s.Service)).ToHashSet();
            moved += oldOwners.Count(o => !newOwners.Contains(o));
            added += newOwners.Count(o => !oldOwners.Contains(o));
        }

        return new PlanDiff(changes.ToImmutable(), moved, added);
    }
}
