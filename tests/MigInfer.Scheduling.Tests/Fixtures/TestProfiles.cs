namespace MigInfer.Scheduling.Tests.Fixtures;

/// <summary>
/// Latency tables shaped like PARIS's observation: small batches cannot use many GPCs, so they
/// run as fast on 1g as on 3g, while large batches scale with the slice.
/// lat(s, b) = 2 ms + 1.5 ms · b / min(s, max(1, b/4)).
/// </summary>
internal static class TestProfiles
{
    public static readonly int[] Batches = [1, 2, 4, 8, 16, 32];

    public static readonly string[] Names = ["1g.10gb", "2g.20gb", "3g.40gb", "7g.80gb"];

    public static double Milliseconds(int computeSize, int batch) =>
        2.0 + (1.5 * batch / Math.Min(computeSize, Math.Max(1.0, batch / 4.0)));

    public static IReadOnlyDictionary<string, IReadOnlyDictionary<int, double>> Table() =>
        Names.ToDictionary(
            name => name,
            name => (IReadOnlyDictionary<int, double>)Batches.ToDictionary(b => b, b => Milliseconds(SliceProfiles.ParseComputeSize(name), b)));

    public static LatencyModel Model(LatencyModelOptions? options = null) => new(Table(), options);

    public static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
}
