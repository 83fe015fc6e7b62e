using System.Collections.Immutable;
using MigInfer.Planning.Catalog;

namespace MigInfer.Planning.Layouts;

/// <summary>
/// The set of GPU instances on one GPU, ordered by start. Valid if and only if every start is
/// allowed for its profile and no two memory ranges overlap (compute cannot oversubscribe then).
/// </summary>
public sealed class MigLayout : IEquatable<MigLayout>
{
    private MigLayout(GpuProduct product, ImmutableArray<MigSlice> slices)
    {
        Product = product;
        Slices = slices;
        Key = slices.IsEmpty ? "(empty)" : string.Join(' ', slices.Select(s => s.ToString()));
    }

    public GpuProduct Product { get; }

    public ImmutableArray<MigSlice> Slices { get; }

    /// <summary>Canonical text form, e.g. <c>4g.20gb@0 2g.10gb@4 1g.5gb@6</c>.</summary>
    public string Key { get; }

    public bool IsEmpty => Slices.IsEmpty;

    /// <summary>Builds a layout, or explains why these slices cannot coexist on one GPU.</summary>
    public static bool TryCreate(GpuProduct product, IEnumerable<MigSlice> slices, out MigLayout layout, out string? error)
    {
        var sorted = slices.OrderBy(s => s.Start).ThenBy(s => s.Profile.MemorySlices).ToImmutableArray();
        layout = new MigLayout(product, sorted);
        error = Validate(product, sorted);
        return error is null;
    }

    /// <summary>Like <see cref="TryCreate"/>, but invalid slices are an error naming the conflict.</summary>
    public static MigLayout Create(GpuProduct product, IEnumerable<MigSlice> slices) =>
        TryCreate(product, slices, out var layout, out var error)
            ? layout
            : throw new PlanningInputException($"invalid MIG layout on {product.Name}: {error}");

    /// <summary>How many instances of this profile the layout holds.</summary>
    public int Count(MigProfile profile) => Slices.Count(s => s.Profile == profile);

    /// <summary>
    /// An order in which creating the instances one by one, each at its start, never dead-ends:
    /// the most constrained placements (fewest allowed starts) first, larger before smaller.
    /// </summary>
    public IReadOnlyList<MigSlice> CreationOrder() =>
        Slices.OrderBy(s => s.Profile.AllowedStarts.Count)
            .ThenByDescending(s => s.Profile.MemorySlices)
            .ThenBy(s => s.Start)
            .ToList();

    public bool Equals(MigLayout? other) =>
        other is not null && other.Product == Product && other.Key == Key;

    public override bool Equals(object? obj) => Equals(obj as MigLayout);

    public override int GetHashCode() => HashCode.Combine(Product.Name, Key);

    public override string ToString() => Key;

    private static string? Validate(GpuProduct product, ImmutableArray<MigSlice> sorted)
    {
        for (var i = 0; i < sorted.Length; i++)
        {
            var slice = sorted[i];
            if (!product.Profiles.Contains(slice.Profile))
            {
                return $"profile {slice.Profile.Name} does not exist on {product.Name}";
            }

            if (!slice.Profile.AllowedStarts.Contains(slice.Start))
            {
                return $"{slice} starts at {slice.Start}, but {slice.Profile.Name} may start only at {string.Join(",", slice.Profile.AllowedStarts)}";
            }

            if (slice.End > product.MemorySlices)
            {
                return $"{slice} ends past memory slice {product.MemorySlices}";
            }

            if (i > 0 && sorted[i - 1].Overlaps(slice))
            {
                return $"{sorted[i - 1]} and {slice} overlap in memory slices";
            }
        }

        foreach (var group in sorted.GroupBy(s => s.Profile))
        {
            if (group.Count() > group.Key.MaxCount)
            {
                return $"{group.Count()} instances of {group.Key.Name}, at most {group.Key.MaxCount} allowed";
            }
        }

        return null;
    }
}
