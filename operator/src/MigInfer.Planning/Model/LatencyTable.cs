using System.Collections.Immutable;

namespace MigInfer.Planning.Model;

/// <summary>
/// Measured (or estimated) execution latency per slice profile and batch size on one GPU product.
/// Between measured batch sizes latency is interpolated linearly; past the largest it grows in
/// proportion to the batch (throughput has saturated). A profile that was not given is never invented.
/// </summary>
public sealed class LatencyTable
{
    private readonly ImmutableDictionary<string, ImmutableArray<(int Batch, double Ms)>> _points;

    public LatencyTable(string gpuProduct, IEnumerable<LatencyPoint> points, ProfileSource source = ProfileSource.Measured)
    {
        GpuProduct = gpuProduct;
        Source = source;
        _points = points
            .GroupBy(p => p.Profile)
            .ToImmutableDictionary(
                g => g.Key,
                g => g.OrderBy(p => p.Batch).Select(p => (p.Batch, p.Milliseconds)).ToImmutableArray());
    }

    /// <summary>The product the numbers were taken on, as written in the spec.</summary>
    public string GpuProduct { get; }

    public ProfileSource Source { get; }

    public IEnumerable<string> Profiles => _points.Keys.Order(StringComparer.Ordinal);

    public bool Has(string profile) => _points.ContainsKey(profile);

    public IEnumerable<LatencyPoint> Points =>
        _points.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .SelectMany(kv => kv.Value.Select(p => new LatencyPoint(kv.Key, p.Batch, p.Ms)));

    /// <summary>Latency in milliseconds of a batch of <paramref name="batch"/> on <paramref name="profile"/>, or null if the profile was not given.</summary>
    public double? Milliseconds(string profile, int batch)
    {
        if (!_points.TryGetValue(profile, out var pts))
        {
            return null;
        }

        if (batch <= pts[0].Batch)
        {
            // Below the smallest measurement a batch is no faster than that measurement.
            return pts[0].Ms;
        }

        for (var i = 1; i < pts.Length; i++)
        {
            if (batch <= pts[i].Batch)
            {
                var (b0, l0) = pts[i - 1];
                var (b1, l1) = pts[i];
                return l0 + ((l1 - l0) * (batch - b0) / (b1 - b0));
            }
        }

        var (last, lastMs) = pts[^1];
        return lastMs * batch / last;
    }
}
