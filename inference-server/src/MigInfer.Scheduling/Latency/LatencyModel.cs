namespace MigInfer.Scheduling;

/// <summary>
/// Predicts batch execution time per slice profile. Seeded from a profile table
/// (profile name → batch size → milliseconds) and corrected online per (profile, power-of-two
/// batch bucket) with an EWMA of measured/seed ratios.
/// </summary>
/// <remarks>
/// <see cref="Predict"/> allocates nothing and may run concurrently with one thread calling
/// <see cref="Observe"/>, and so may <see cref="GetStats(ProfileHandle)"/>; <see cref="Observe"/>
/// and <see cref="GetStats()"/> must be serialised by the host. Memory is bounded by
/// profiles × 17 buckets × <see cref="LatencyModelOptions.ErrorWindow"/>.
/// </remarks>
public sealed class LatencyModel
{
    private readonly ProfileCurve[] curves;
    private readonly Dictionary<string, int> indexByName;
    private readonly LatencyModelOptions options;

    /// <param name="profiles">Per profile name, latency in milliseconds per profiled batch size.</param>
    /// <param name="options">Online-correction tuning; defaults when null.</param>
    public LatencyModel(IReadOnlyDictionary<string, IReadOnlyDictionary<int, double>> profiles, LatencyModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        this.options = options ?? new LatencyModelOptions();
        this.options.Validate();
        curves = profiles
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new ProfileCurve(p.Key, p.Value, this.options.ErrorWindow))
            .ToArray();
        indexByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < curves.Length; i++)
        {
            indexByName.Add(curves[i].Name, i);
        }
    }

    /// <summary>Profile names in the table, in ordinal order.</summary>
    public IEnumerable<string> Profiles => curves.Select(c => c.Name);

    /// <summary>Resolves a profile name; throws <see cref="KeyNotFoundException"/> naming it when absent.</summary>
    public ProfileHandle Resolve(string profile) =>
        TryResolve(profile, out var handle)
            ? handle
            : throw new KeyNotFoundException($"Slice profile '{profile}' is not in the latency table (known: {string.Join(", ", indexByName.Keys)}).");

    /// <summary>Resolves a profile name, returning false when the table has no such profile.</summary>
    public bool TryResolve(string profile, out ProfileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (indexByName.TryGetValue(profile, out int index))
        {
            handle = new ProfileHandle(index, curves[index]);
            return true;
        }

        handle = default;
        return false;
    }

    /// <summary>Predicted execution time of a batch of <paramref name="batch"/> samples on the profile.</summary>
    public TimeSpan Predict(ProfileHandle profile, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        return TimeSpan.FromTicks((long)Math.Ceiling(Curve(profile).PredictTicks(batch)));
    }

    /// <summary>The uncorrected prediction from the seed table alone.</summary>
    public TimeSpan PredictSeed(ProfileHandle profile, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        return TimeSpan.FromTicks((long)Math.Ceiling(Curve(profile).SeedTicks(batch)));
    }

    /// <summary>Feeds one measured execution time of a batch of <paramref name="batch"/> samples.</summary>
    public void Observe(ProfileHandle profile, int batch, TimeSpan measured)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (measured <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(measured), measured, "A measured execution time must be positive.");
        }

        Curve(profile).Observe(batch, measured.Ticks, options);
    }

    /// <summary>Current correction factor (measured/seed EWMA) of the bucket holding <paramref name="batch"/>.</summary>
    public double CorrectionFactor(ProfileHandle profile, int batch) => Curve(profile).CorrectionFactor(batch);

    /// <summary>Mean absolute relative error of recent predictions in the bucket holding <paramref name="batch"/>; 0 before any observation.</summary>
    public double MeanAbsoluteRelativeError(ProfileHandle profile, int batch) => Curve(profile).MeanAbsoluteRelativeError(batch);

    /// <summary>State of every (profile, bucket) that has seen at least one measurement, for metrics.</summary>
    public IReadOnlyList<LatencyBucketStats> GetStats() =>
        [.. curves.SelectMany((curve, index) => GetStats(new ProfileHandle(index, curve)))];

    /// <summary>
    /// State of every bucket of one profile that has seen at least one measurement, in ascending batch
    /// order. Safe while another thread calls <see cref="Observe"/> (a server reporting its slice while
    /// it serves): each value is read whole, and an observation in progress may or may not be counted yet.
    /// </summary>
    public IReadOnlyList<LatencyBucketStats> GetStats(ProfileHandle profile)
    {
        var curve = Curve(profile);
        var stats = new List<LatencyBucketStats>();
        for (int bucket = 0; bucket < ProfileCurve.BucketCount; bucket++)
        {
            if (curve.Observations(bucket) > 0)
            {
                stats.Add(curve.Stats(bucket));
            }
        }

        return stats;
    }

    internal ProfileCurve Curve(ProfileHandle profile)
    {
        if (!profile.IsValid || profile.Index >= curves.Length || !ReferenceEquals(curves[profile.Index], profile.Curve))
        {
            throw new ArgumentException($"Profile handle '{profile}' does not belong to this latency model.", nameof(profile));
        }

        return curves[profile.Index];
    }
}
