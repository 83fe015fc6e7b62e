using MigInfer.Planning.Layouts;
using MigInfer.Planning.Model;
using MigInfer.Planning.Plans;

namespace MigInfer.Planning.Planners;

/// <summary>
/// Turns a group's counts (GPUs per layout, slices per profile and service) into concrete GPUs:
/// GPUs keep their current layout first, running slices keep their service while its quota lasts,
/// and the rest of the quota fills the remaining slices in a fixed order.
/// </summary>
internal static class GroupAssigner
{
    public static IEnumerable<PlannedGpu> Assign(GpuGroup group, IReadOnlyList<int> layoutCounts, Dictionary<(string Profile, string Service), int> quota)
    {
        var order = Enumerable.Range(0, group.Layouts.Count)
            .OrderByDescending(l => group.Layouts[l].Equals(group.Current))
            .ThenBy(l => l);
        var used = new List<(GpuSlot Gpu, MigLayout Layout, string?[] Owners)>();
        var next = 0;
        foreach (var l in order)
        {
            for (var i = 0; i < layoutCounts[l]; i++)
            {
                var layout = group.Layouts[l];
                used.Add((group.Members[next++], layout, new string?[layout.Slices.Length]));
            }
        }

        // Pass 1: running slices on GPUs that keep their layout keep their service.
        foreach (var (gpu, layout, owners) in used.Where(u => u.Layout.Equals(group.Current)))
        {
            for (var i = 0; i < layout.Slices.Length; i++)
            {
                var owner = gpu.OwnerAt(layout.Slices[i]);
                if (owner is not null && Take(quota, layout.Slices[i].Profile.Name, owner))
                {
                    owners[i] = owner;
                }
            }
        }

        // Pass 2: every other slice takes the first service with quota left for its profile.
        foreach (var (_, layout, owners) in used)
        {
            for (var i = 0; i < layout.Slices.Length; i++)
            {
                if (owners[i] is not null)
                {
                    continue;
                }

                var profile = layout.Slices[i].Profile.Name;
                var service = quota.Where(kv => kv.Key.Profile == profile && kv.Value > 0)
                    .Select(kv => kv.Key.Service).Order(StringComparer.Ordinal).FirstOrDefault();
                if (service is not null && Take(quota, profile, service))
                {
                    owners[i] = service;
                }
            }
        }

        foreach (var (gpu, layout, owners) in used)
        {
            yield return new PlannedGpu(gpu.Node.Name, gpu.Index, gpu.Product.Name,
                [.. layout.Slices.Select((s, i) => new PlacedSlice(s.Profile.Name, s.Start, owners[i]))]);
        }

        // GPUs the plan does not use keep their layout (no reconfiguration) and lose their owners.
        foreach (var gpu in group.Members.Skip(next))
        {
            yield return new PlannedGpu(gpu.Node.Name, gpu.Index, gpu.Product.Name,
                [.. gpu.CurrentSlices.Select(s => s with { Service = null })]);
        }
    }

    private static bool Take(Dictionary<(string Profile, string Service), int> quota, string profile, string service)
    {
        if (quota.GetValueOrDefault((profile, service)) <= 0)
        {
            return false;
        }

        quota[(profile, service)]--;
        return true;
    }
}
