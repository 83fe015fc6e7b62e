using MigInfer.Operator.Resources;

namespace MigInfer.Operator.Probing;

/// <summary>
/// status.observedProfile from the slices' reports: per (profile, batch) the sample-weighted mean of the reported
/// latencies, the total samples and the number of slices reporting, sorted by profile then batch. So that a busy
/// service does not rewrite its status on every probe, the previous list is kept unless a point appears or goes,
/// its slice count changes, its mean moves by more than <see cref="MsTolerance"/>, or its samples reach a new
/// power of two.
/// </summary>
internal static class ObservedProfiles
{
    /// <summary>Relative change of a mean that is written to status.</summary>
    public const double MsTolerance = 0.05;

    public static List<ObservedPointStatus> Aggregate(IEnumerable<SliceReport> reports) =>
        reports.Where(r => r.SliceProfile is not null && r.ObservedProfile is not null)
            .SelectMany(r => r.ObservedProfile!.Where(p => p.Samples > 0 && double.IsFinite(p.Ms) && p.Ms >= 0).Select(p => (Profile: r.SliceProfile!, Point: p)))
            .GroupBy(x => (x.Profile, x.Point.Batch))
            .OrderBy(g => g.Key.Profile, StringComparer.Ordinal).ThenBy(g => g.Key.Batch)
            .Select(g =>
            {
                var samples = g.Sum(x => x.Point.Samples);
                return new ObservedPointStatus
                {
                    Profile = g.Key.Profile,
                    Batch = g.Key.Batch,
                    Ms = Math.Round(g.Sum(x => x.Point.Ms * x.Point.Samples) / samples, 3),
                    Samples = samples,
                    Slices = g.Count(),
                };
            })
            .ToList();

    /// <summary>
    /// What status.observedProfile should hold: <paramref name="previous"/> when <paramref name="fresh"/> differs from it
    /// by no more than the rule above, or when no slice has reported (yet: a new leader has probed nothing), else <paramref name="fresh"/>.
    /// </summary>
    public static List<ObservedPointStatus>? Stabilize(List<ObservedPointStatus>? previous, List<ObservedPointStatus> fresh)
    {
        if (fresh.Count == 0)
        {
            return previous;
        }

        if (previous is null || previous.Count != fresh.Count)
        {
            return fresh;
        }

        return previous.Zip(fresh).All(x => !Moved(x.First, x.Second)) ? previous : fresh;
    }

    private static bool Moved(ObservedPointStatus before, ObservedPointStatus now) =>
        before.Profile != now.Profile || before.Batch != now.Batch || before.Slices != now.Slices
        || Math.Abs((now.Ms ?? 0) - (before.Ms ?? 0)) > MsTolerance * Math.Abs(before.Ms ?? 0)
        || PowerOfTwo(before.Samples ?? 0) != PowerOfTwo(now.Samples ?? 0);

    private static int PowerOfTwo(long samples) => samples <= 0 ? -1 : (int)long.Log2(samples);
}
