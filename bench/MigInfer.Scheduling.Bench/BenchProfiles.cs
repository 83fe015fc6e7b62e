namespace MigInfer.Scheduling.Bench;

internal static class BenchProfiles
{
    public static readonly string[] Names = ["1g.10gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb"];

    private static readonly int[] Batches = [1, 2, 4, 8, 16, 32, 64];

    public static LatencyModel Model() => new(Names.ToDictionary(
        name => name,
        name => (IReadOnlyDictionary<int, double>)Batches
            .ToDictionary(b => b, b => 2.0 + (1.5 * b / Math.Min(SliceProfiles.ParseComputeSize(name), Math.Max(1.0, b / 4.0))))));
}
