namespace MigInfer.Scheduling;

/// <summary>Tuning of the online correction in <see cref="LatencyModel"/>.</summary>
public sealed record LatencyModelOptions
{
    /// <summary>Weight of a new measurement in the EWMA of measured/predicted (0 &lt; value ≤ 1).</summary>
    public double Smoothing { get; init; } = 0.2;

    /// <summary>How many recent observations per bucket feed the mean absolute relative error.</summary>
    public int ErrorWindow { get; init; } = 64;

    /// <summary>Lower clamp of one measured/seed ratio, so one outlier cannot collapse a bucket.</summary>
    public double MinRatio { get; init; } = 0.1;

    /// <summary>Upper clamp of one measured/seed ratio.</summary>
    public double MaxRatio { get; init; } = 10.0;

    internal void Validate()
    {
        if (!(Smoothing > 0 && Smoothing <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Smoothing), Smoothing, "Smoothing must be in (0, 1].");
        }

        if (ErrorWindow < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ErrorWindow), ErrorWindow, "ErrorWindow must be at least 1.");
        }

        if (!(MinRatio > 0 && MinRatio <= 1 && MaxRatio >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MinRatio), MinRatio, "Ratio bounds must satisfy 0 < MinRatio <= 1 <= MaxRatio.");
        }
    }
}
