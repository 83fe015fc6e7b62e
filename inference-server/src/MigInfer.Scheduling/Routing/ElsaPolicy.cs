namespace MigInfer.Scheduling;

/// <summary>
/// ELSA's dispatch rule (PARIS/ELSA, DAC 2022) as a pure function over candidate slices:
/// est_finish = now + transfer + backlog + lat(profile, samples); the smallest slice that meets
/// the deadline with the safety margin wins (ties: earliest finish, then local); when none
/// does, the earliest finish if it is late by at most the shed limit, else shed. Allocation-free.
/// </summary>
public static class ElsaPolicy
{
    /// <summary>Profiles with an index below this share one prediction per call; a service has a handful.</summary>
    private const int CachedProfiles = 32;

    /// <summary>Chooses a slice for <paramref name="request"/> among <paramref name="candidates"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="candidates">Slices with their current backlog estimates.</param>
    /// <param name="model">Latency model all candidates' profiles were resolved against.</param>
    /// <param name="options">Margin and shed limit.</param>
    /// <param name="now">Current instant.</param>
    /// <param name="localOnly">Consider only local slices: for requests a peer forwarded here.</param>
    public static RouteDecision Choose(
        in RouteRequest request,
        ReadOnlySpan<SliceCandidate> candidates,
        LatencyModel model,
        RouterOptions options,
        TimeSpan now,
        bool localOnly = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var deadline = request.Deadline;
        int samples = request.Samples;

        int fit = -1;
        TimeSpan fitFinish = TimeSpan.MaxValue;
        TimeSpan fitLatency = TimeSpan.Zero;
        int early = -1;
        TimeSpan earlyFinish = TimeSpan.MaxValue;
        TimeSpan earlyLatency = TimeSpan.Zero;
        Span<long> latencyByProfile = stackalloc long[CachedProfiles];
        latencyByProfile.Fill(-1);

        for (int i = 0; i < candidates.Length; i++)
        {
            ref readonly var c = ref candidates[i];
            if (!c.CanRun(samples) || (localOnly && !c.IsLocal))
            {
                continue;
            }

            var latency = Latency(model, c.Profile, samples, latencyByProfile);
            var finish = now + c.Transfer + c.Backlog + latency;

            if (finish + options.SafetyMargin <= deadline &&
                (fit < 0 || FitsBetter(in c, finish, in candidates[fit], fitFinish)))
            {
                fit = i;
                fitFinish = finish;
                fitLatency = latency;
            }

            if (early < 0 || finish < earlyFinish || (finish == earlyFinish && c.IsLocal && !candidates[early].IsLocal))
            {
                early = i;
                earlyFinish = finish;
                earlyLatency = latency;
            }
        }

        if (fit >= 0)
        {
            return Decision(RouteOutcome.Routed, fit, candidates, fitFinish, deadline, fitLatency);
        }

        if (early < 0)
        {
            return new RouteDecision(RouteOutcome.NoEligibleSlice, -1, null, false, TimeSpan.MaxValue, deadline, TimeSpan.Zero);
        }

        return earlyFinish - deadline <= options.ShedLimit
            ? Decision(RouteOutcome.RoutedLate, early, candidates, earlyFinish, deadline, earlyLatency)
            : new RouteDecision(RouteOutcome.Shed, -1, null, false, earlyFinish, deadline, TimeSpan.Zero);
    }

    private static TimeSpan Latency(LatencyModel model, ProfileHandle profile, int samples, Span<long> cache)
    {
        int index = profile.Index;
        if ((uint)index >= (uint)cache.Length)
        {
            return model.Predict(profile, samples);
        }

        if (cache[index] < 0)
        {
            cache[index] = model.Predict(profile, samples).Ticks;
        }

        return TimeSpan.FromTicks(cache[index]);
    }

    private static bool FitsBetter(in SliceCandidate c, TimeSpan finish, in SliceCandidate best, TimeSpan bestFinish)
    {
        if (c.ComputeSize != best.ComputeSize)
        {
            return c.ComputeSize < best.ComputeSize;
        }

        if (finish != bestFinish)
        {
            return finish < bestFinish;
        }

        return c.IsLocal && !best.IsLocal;
    }

    private static RouteDecision Decision(
        RouteOutcome outcome,
        int index,
        ReadOnlySpan<SliceCandidate> candidates,
        TimeSpan finish,
        TimeSpan deadline,
        TimeSpan latency) =>
        new(outcome, index, candidates[index].Id, candidates[index].IsLocal, finish, deadline, latency);
}
