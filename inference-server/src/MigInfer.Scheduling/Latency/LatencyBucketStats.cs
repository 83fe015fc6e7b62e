namespace MigInfer.Scheduling;

/// <summary>
/// Online-correction state of one (profile, batch bucket) for metrics. Bucket k covers batch sizes
/// (2^(k-1), 2^k]; <see cref="MaxBatch"/> is 2^k.
/// </summary>
/// <param name="Profile">Slice profile name.</param>
/// <param name="MaxBatch">Largest batch size of the bucket (a power of two).</param>
/// <param name="CorrectionFactor">Current EWMA of measured/seed latency; 1 means the seed profile is right.</param>
/// <param name="Observations">Measurements seen in this bucket since start.</param>
/// <param name="MeanAbsoluteRelativeError">Mean of |measured − predicted| / measured over the recent window.</param>
public readonly record struct LatencyBucketStats(
    string Profile,
    int MaxBatch,
    double CorrectionFactor,
    long Observations,
    double MeanAbsoluteRelativeError);
