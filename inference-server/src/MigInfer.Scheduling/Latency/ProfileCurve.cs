using System.Numerics;

namespace MigInfer.Scheduling;

/// <summary>
/// Seed latency points of one profile plus the per-bucket online correction. Memory is fixed at
/// construction: <see cref="BucketCount"/> factors and error windows, whatever the traffic.
/// </summary>
internal sealed class ProfileCurve
{
    /// <summary>Buckets 0..16 cover batches up to 65,536; larger batches share the last bucket.</summary>
    public const int BucketCount = 17;

    private readonly int[] batches;
    private readonly double[] ticks;
    private readonly double[] correction;
    private readonly long[] observations;
    private readonly ErrorWindow[] errors;

    public ProfileCurve(string name, IReadOnlyDictionary<int, double> millisecondsByBatch, int errorWindow)
    {
        if (millisecondsByBatch.Count == 0)
        {
            throw new ArgumentException($"Latency profile '{name}' has no points.", nameof(millisecondsByBatch));
        }

        var points = millisecondsByBatch.OrderBy(p => p.Key).ToArray();
        foreach (var (batch, ms) in points)
        {
            if (batch < 1 || !(ms > 0) || double.IsInfinity(ms))
            {
                throw new ArgumentException(
                    $"Latency profile '{name}' has an invalid point: batch {batch} -> {ms} ms (batch >= 1 and a positive finite latency required).",
                    nameof(millisecondsByBatch));
            }
        }

        Name = name;
        batches = points.Select(p => p.Key).ToArray();
        ticks = points.Select(p => p.Value * TimeSpan.TicksPerMillisecond).ToArray();
        correction = Enumerable.Repeat(1.0, BucketCount).ToArray();
        observations = new long[BucketCount];
        errors = Enumerable.Range(0, BucketCount).Select(_ => new ErrorWindow(errorWindow)).ToArray();
    }

    public string Name { get; }

    /// <summary>Bucket of a batch size: 0 for 1, k for (2^(k-1), 2^k].</summary>
    public static int BucketOf(int batch) =>
        batch <= 1 ? 0 : Math.Min(BucketCount - 1, 32 - BitOperations.LeadingZeroCount((uint)(batch - 1)));

    /// <summary>
    /// Seed latency in ticks: linear between points, the first point's value below it (a smaller
    /// batch is never assumed cheaper than the smallest profiled one), proportional to batch above
    /// the last point.
    /// </summary>
    public double SeedTicks(int batch)
    {
        int last = batches.Length - 1;
        if (batch <= batches[0])
        {
            return ticks[0];
        }

        if (batch >= batches[last])
        {
            return ticks[last] * batch / batches[last];
        }

        int i = Array.BinarySearch(batches, batch);
        if (i >= 0)
        {
            return ticks[i];
        }

        int hi = ~i;
        int lo = hi - 1;
        return ticks[lo] + ((ticks[hi] - ticks[lo]) * (batch - batches[lo]) / (batches[hi] - batches[lo]));
    }

    public double PredictTicks(int batch) => SeedTicks(batch) * Volatile.Read(ref correction[BucketOf(batch)]);

    public void Observe(int batch, double measuredTicks, LatencyModelOptions options)
    {
        int bucket = BucketOf(batch);
        double seed = SeedTicks(batch);
        double predicted = seed * correction[bucket];
        errors[bucket].Add(Math.Abs(measuredTicks - predicted) / measuredTicks);

        double ratio = Math.Clamp(measuredTicks / seed, options.MinRatio, options.MaxRatio);
        double updated = ((1 - options.Smoothing) * correction[bucket]) + (options.Smoothing * ratio);
        Volatile.Write(ref correction[bucket], updated);
        Volatile.Write(ref observations[bucket], observations[bucket] + 1);
    }

    public double MeanAbsoluteRelativeError(int batch) => errors[BucketOf(batch)].Mean;

    public double CorrectionFactor(int batch) => Volatile.Read(ref correction[BucketOf(batch)]);

    public LatencyBucketStats Stats(int bucket) =>
        new(Name, 1 << bucket, Volatile.Read(ref correction[bucket]), Observations(bucket), errors[bucket].Mean);

    public long Observations(int bucket) => Volatile.Read(ref observations[bucket]);

    internal int RetainedErrorSamples(int bucket) => errors[bucket].Count;
}
