using MigInfer.Planning.Catalog;

namespace MigInfer.Planning.Layouts;

/// <summary>
/// Enumerates every valid layout of a board over a set of profiles by walking the memory
/// slices left to right: at each slice either leave it empty or start an instance there.
/// </summary>
public static class LayoutEnumerator
{
    /// <summary>All valid layouts, including the empty one and non-maximal ones.</summary>
    public static IReadOnlyList<MigLayout> All(GpuProduct product, IReadOnlyCollection<MigProfile> profiles)
    {
        var result = new List<MigLayout>();
        Walk(product, profiles, 0, [], result);
        return result;
    }

    /// <summary>
    /// The layouts to which no instance of <paramref name="profiles"/> can be added. With the base
    /// profiles (1g, 2g, 3g, 4g, 7g) of an A100 these are NVIDIA's 19 configurations.
    /// </summary>
    public static IReadOnlyList<MigLayout> Maximal(GpuProduct product, IReadOnlyCollection<MigProfile> profiles) =>
        All(product, profiles).Where(l => IsMaximal(l, profiles)).ToList();

    /// <summary>Whether no instance of these profiles fits beside the layout's instances.</summary>
    public static bool IsMaximal(MigLayout layout, IReadOnlyCollection<MigProfile> profiles) =>
        !profiles.Any(p => p.AllowedStarts.Any(start =>
            MigLayout.TryCreate(layout.Product, layout.Slices.Append(new MigSlice(p, start)), out _, out _)));

    private static void Walk(GpuProduct product, IReadOnlyCollection<MigProfile> profiles, int position, List<MigSlice> placed, List<MigLayout> result)
    {
        if (position >= product.MemorySlices)
        {
            if (MigLayout.TryCreate(product, placed, out var layout, out _))
            {
                result.Add(layout);
            }

            return;
        }

        Walk(product, profiles, position + 1, placed, result);
        foreach (var profile in profiles)
        {
            if (profile.AllowedStarts.Contains(position) && position + profile.MemorySlices <= product.MemorySlices)
            {
                placed.Add(new MigSlice(profile, position));
                Walk(product, profiles, position + profile.MemorySlices, placed, result);
                placed.RemoveAt(placed.Count - 1);
            }
        }
    }
}
