using System.Collections.Immutable;
using System.Globalization;
using MigInfer.Planning.Model;

namespace MigInfer.Operator.Rollout;

/// <summary>The slices of one GPU with start slots, written as <c>3g.20gb@0 2g.10gb@4</c> (empty: no slices).</summary>
internal static class GpuLayout
{
    public static string Key(IEnumerable<PlacedSlice> slices) =>
        string.Join(' ', slices.OrderBy(s => s.Start).Select(s => $"{s.Profile}@{s.Start.ToString(CultureInfo.InvariantCulture)}"));

    public static ImmutableArray<PlacedSlice> Parse(string key) =>
        [.. key.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(part =>
        {
            var at = part.LastIndexOf('@');
            return new PlacedSlice(part[..at], int.Parse(part[(at + 1)..], CultureInfo.InvariantCulture), null);
        })];
}
