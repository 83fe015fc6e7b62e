using MigInfer.Planning.Model;

namespace MigInfer.Planning.Tests.Fixtures;

/// <summary>Latency tables beside <see cref="Workloads.ResNetLike"/> (illustrative shapes after PARIS's observations).</summary>
internal static class LatencyTables
{
    /// <summary>MobileNet-like: light layers, so small slices lose little against large ones.</summary>
    public static LatencyTable MobileNetLike() => new(Workloads.A100,
    [
        .. Points("1g.5gb", [(1, 3.0), (2, 3.6), (4, 4.8), (8, 7.5), (16, 13.0), (32, 24.0)]),
        .. Points("2g.10gb", [(1, 2.6), (2, 2.9), (4, 3.5), (8, 5.0), (16, 8.0), (32, 14.0)]),
        .. Points("3g.20gb", [(1, 2.5), (2, 2.7), (4, 3.1), (8, 4.2), (16, 6.2), (32, 10.5)]),
        .. Points("4g.20gb", [(1, 2.4), (2, 2.6), (4, 3.0), (8, 3.8), (16, 5.4), (32, 8.8)]),
        .. Points("7g.40gb", [(1, 2.3), (2, 2.4), (4, 2.7), (8, 3.2), (16, 4.3), (32, 6.5)]),
    ]);

    /// <summary>Only 1g and 7g measured: the planner may use no other profile for this service.</summary>
    public static LatencyTable SmallAndWhole() => new(Workloads.A100,
    [
        .. Points("1g.5gb", [(1, 5.0), (8, 20.0), (32, 75.0)]),
        .. Points("7g.40gb", [(1, 3.0), (8, 5.0), (32, 14.0)]),
    ]);

    private static IEnumerable<LatencyPoint> Points(string profile, (int Batch, double Ms)[] points) =>
        points.Select(p => new LatencyPoint(profile, p.Batch, p.Ms));
}
