namespace MigInfer.Scheduling.Tests.Fixtures;

/// <summary>
/// Discrete-event simulation of one service: a slice scheduler per slice (executing exactly the
/// predicted batch latency) and a routing function that picks the slice for each arrival.
/// </summary>
internal sealed class ServiceSimulation
{
    private readonly LatencyModel model;
    private readonly string[] profiles;
    private readonly SliceScheduler[] schedulers;

    public ServiceSimulation(LatencyModel model, string[] profiles, BatchingOptions options)
    {
        this.model = model;
        this.profiles = profiles;
        schedulers = profiles.Select(p => new SliceScheduler(model, model.Resolve(p), options)).ToArray();
    }

    public record struct Arrival(TimeSpan At, int Samples, TimeSpan Slo);

    public record struct Result(Arrival Request, int Slice, bool MetSlo);

    public static Arrival[] PoissonTrace(int seed, int count, double ratePerSecond, Func<Random, int> samples, TimeSpan slo)
    {
        var random = new Random(seed);
        var at = TimeSpan.Zero;
        var trace = new Arrival[count];
        for (int i = 0; i < count; i++)
        {
            at += TimeSpan.FromSeconds(-Math.Log(1 - random.NextDouble()) / ratePerSecond);
            trace[i] = new Arrival(at, samples(random), slo);
        }

        return trace;
    }

    /// <summary>An ELSA router over all slices as local slices of one process.</summary>
    public Func<RouteRequest, TimeSpan, int> Elsa(RouterOptions options)
    {
        var router = new ElsaRouter(model, options);
        for (int i = 0; i < schedulers.Length; i++)
        {
            router.AddLocalSlice(i.ToString(), profiles[i], schedulers[i].Options.MaxBatchSize, schedulers[i]);
        }

        return (request, now) => router.Route(request, now) is { IsRouted: true } d ? d.CandidateIndex : -1;
    }

    public Func<RouteRequest, TimeSpan, int> RoundRobin()
    {
        int next = 0;
        return (_, _) => next++ % schedulers.Length;
    }

    public IReadOnlyList<Result> Run(Arrival[] trace, Func<RouteRequest, TimeSpan, int> route)
    {
        var slices = new (TimeSpan? FinishAt, TimeSpan Running, TimeSpan WakeAt)[schedulers.Length];
        var assigned = new int[trace.Length];
        var finished = new TimeSpan?[trace.Length];
        var handles = new RequestHandle[trace.Length];
        var batch = new List<RequestHandle>();
        int next = 0;
        var now = TimeSpan.Zero;
        while (true)
        {
            for (int s = 0; s < schedulers.Length; s++)
            {
                if (slices[s].FinishAt is null)
                {
                    var d = schedulers[s].NextBatch(now, batch);
                    slices[s].WakeAt = d.Kind == BatchDecisionKind.Wait ? d.WaitUntil : TimeSpan.MaxValue;
                    if (d.Kind == BatchDecisionKind.Dispatch)
                    {
                        slices[s] = (now + d.PredictedLatency, d.PredictedLatency, TimeSpan.MaxValue);
                        foreach (var r in batch)
                        {
                            finished[r.Id] = now + d.PredictedLatency;
                        }
                    }
                }
            }

            var eventAt = next < trace.Length ? trace[next].At : TimeSpan.MaxValue;
            foreach (var slice in slices)
            {
                var at = slice.FinishAt ?? slice.WakeAt;
                eventAt = at < eventAt ? at : eventAt;
            }

            if (eventAt == TimeSpan.MaxValue)
            {
                break;
            }

            now = eventAt;
            for (int s = 0; s < schedulers.Length; s++)
            {
                if (slices[s].FinishAt == now)
                {
                    schedulers[s].CompleteBatch(slices[s].Running);
                    slices[s].FinishAt = null;
                }
            }

            while (next < trace.Length && trace[next].At == now)
            {
                var a = trace[next];
                var request = new RouteRequest(a.Samples, now, a.Slo);
                handles[next] = new RequestHandle(next, a.Samples, default, now, request.Deadline);
                assigned[next] = route(request, now);
                if (assigned[next] < 0)
                {
                    handles[next].TryComplete(RequestOutcome.Rejected(OutcomeReason.Shed, "shed"));
                }
                else
                {
                    schedulers[assigned[next]].Enqueue(handles[next], now);
                }

                next++;
            }
        }

        return trace.Select((a, i) => new Result(
            a,
            assigned[i],
            handles[i].Outcome is { Kind: OutcomeKind.Completed } && finished[i] <= handles[i].Deadline)).ToArray();
    }
}
