namespace MigInfer.InferenceServer.Bench;

/// <summary>Requests completed in one closed-loop phase and their latencies.</summary>
internal sealed record LoadResult(int Requests, TimeSpan Elapsed, double[] LatenciesMs)
{
    public double Throughput => Requests / Elapsed.TotalSeconds;

    public double P50 => Percentile(0.50);

    public double P99 => Percentile(0.99);

    private double Percentile(double q)
    {
        if (LatenciesMs.Length == 0)
        {
            return double.NaN;
        }

        var sorted = LatenciesMs.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    }
}
