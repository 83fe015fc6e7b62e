using MigInfer.Planning.Catalog;
using MigInfer.Planning.Layouts;

namespace MigInfer.Planning.Planners;

/// <summary>
/// GPUs the model cannot tell apart: same product, same current layout and owners, and the same
/// services allowed on their nodes. The model decides counts per group, which keeps it small
/// at a thousand GPUs; concrete GPUs are assigned afterwards.
/// </summary>
internal sealed class GpuGroup
{
    private GpuGroup(GpuProduct product, MigLayout current, IReadOnlyList<int> eligibleServices, List<GpuSlot> members)
    {
        Product = product;
        Current = current;
        EligibleServices = eligibleServices;
        Members = members;
        var layouts = PlanningIndex.CandidateLayouts(product).ToList();
        if (!current.IsEmpty && !layouts.Contains(current))
        {
            layouts.Add(current);
        }

        Layouts = layouts;
    }

    public GpuProduct Product { get; }

    public MigLayout Current { get; }

    public IReadOnlyList<int> EligibleServices { get; }

    /// <summary>The GPUs of the group, in node and index order.</summary>
    public IReadOnlyList<GpuSlot> Members { get; }

    /// <summary>Layouts a GPU of the group may take: every maximal one, plus its current one.</summary>
    public IReadOnlyList<MigLayout> Layouts { get; }

    public int Count => Members.Count;

    /// <summary>The index of <paramref name="layout"/> in <see cref="Layouts"/>, or -1 when the group may not take it.</summary>
    public int LayoutIndex(MigLayout layout)
    {
        for (var l = 0; l < Layouts.Count; l++)
        {
            if (Layouts[l].Equals(layout))
            {
                return l;
            }
        }

        return -1;
    }

    /// <summary>How many slices of (profile, service) each member runs now.</summary>
    public int CurrentOwned(MigProfile profile, string service) =>
        Members[0].CurrentSlices.Count(s => s.Profile == profile.Name && s.Service == service);

    public static List<GpuGroup> Build(PlanningIndex index)
    {
        var groups = new Dictionary<string, (GpuSlot First, List<int> Eligible, List<GpuSlot> Members)>();
        foreach (var gpu in index.Gpus)
        {
            var eligible = Enumerable.Range(0, index.Services.Length).Where(s => index.Eligible(s, gpu.Node)).ToList();
            var owners = string.Join(',', gpu.CurrentSlices.OrderBy(s => s.Start).Select(s => $"{s.Profile}@{s.Start}={s.Service}"));
            var key = $"{gpu.Product.Name}|{owners}|{string.Join(',', eligible)}";
            if (!groups.TryGetValue(key, out var group))
            {
                group = (gpu, eligible, []);
                groups[key] = group;
            }

            group.Members.Add(gpu);
        }

        return groups.Values.Select(g => new GpuGroup(g.First.Product, g.First.Current, g.Eligible, g.Members)).ToList();
    }
}
