using CsCheck;
using MigInfer.Scheduling.Tests.Fixtures;
using static MigInfer.Scheduling.Tests.Fixtures.TestProfiles;

namespace MigInfer.Scheduling.Tests;

/// <summary>
/// Random arrival sequences through one slice executor on a fake clock, with execution taking
/// exactly the predicted batch latency.
/// </summary>
public class SliceSchedulerProperties
{
    private static readonly Gen<(int GapUs, int Samples, int SloMs, int Shape)> GenArrival =
        Gen.Select(Gen.Int[0, 4_000], Gen.Int[1, 8], Gen.Int[4, 40], Gen.Int[0, 2]);

    private static readonly Gen<BatchingOptions> GenOptions = Gen.Select(
        Gen.Int[1, 16],
        Gen.Int[0, 6_000],
        Gen.Int[0, 16],
        Gen.Int[2, 64],
        (maxBatch, delayUs, preferred, maxQueue) => new BatchingOptions
        {
            MaxBatchSize = maxBatch,
            MaxQueueDelay = TimeSpan.FromMicroseconds(delayUs),
            PreferredBatchSizes = preferred >= 1 && preferred <= maxBatch ? [preferred] : [],
            MaxQueueSize = maxQueue,
        });

    [Fact]
    public void ExactPredictions_NoDispatchedBatchBreaksADeadline_AndEveryRequestGetsOneOutcome()
    {
        Gen.Select(GenOptions, GenArrival.Array[1, 120]).Sample((options, arrivals) => Run(options, arrivals), iter: 400);
    }

    private static void Run(BatchingOptions options, (int GapUs, int Samples, int SloMs, int Shape)[] arrivals)
    {
        var model = TestProfiles.Model();
        var scheduler = new SliceScheduler(model, model.Resolve("2g.20gb"), options);
        var handles = new List<RequestHandle>();
        var queued = new HashSet<RequestHandle>();
        var handedOut = new HashSet<RequestHandle>();
        var batch = new List<RequestHandle>();
        var expired = new List<RequestHandle>();

        var now = TimeSpan.Zero;
        var nextArrival = TimeSpan.FromMicroseconds(arrivals[0].GapUs);
        int next = 0;
        TimeSpan? finishAt = null;
        var running = TimeSpan.Zero;
        var wakeAt = TimeSpan.MaxValue;
        while (true)
        {
            if (finishAt is null)
            {
                expired.Clear();
                var d = scheduler.NextBatch(now, batch, expired);
                foreach (var r in expired)
                {
                    Assert.True(queued.Remove(r), $"{r} expired but was not queued");
                    Assert.Equal(OutcomeKind.Expired, r.Outcome!.Value.Kind);
                }

                wakeAt = TimeSpan.MaxValue;
                if (d.Kind == BatchDecisionKind.Dispatch)
                {
                    Assert.Equal(batch.Sum(r => r.Samples), d.Samples);
                    Assert.True(d.Samples <= options.MaxBatchSize);
                    Assert.Single(batch.Select(r => r.ShapeKey).Distinct());
                    foreach (var r in batch)
                    {
                        Assert.True(queued.Remove(r) && handedOut.Add(r), $"{r} dispatched twice or never queued");
                        Assert.True(now + d.PredictedLatency <= r.Deadline, $"{r} would finish at {now + d.PredictedLatency}");
                    }

                    running = d.PredictedLatency;
                    finishAt = now + running;
                }
                else if (d.Kind == BatchDecisionKind.Wait)
                {
                    Assert.True(d.WaitUntil > now);
                    Assert.True(d.WaitUntil <= queued.Min(r => r.Arrival) + options.MaxQueueDelay, "waited past the max queue delay");
                    wakeAt = d.WaitUntil;
                }
                else
                {
                    Assert.Empty(queued);
                }
            }

            var arrivalAt = next < arrivals.Length ? nextArrival : TimeSpan.MaxValue;
            var eventAt = Min(arrivalAt, finishAt ?? wakeAt);
            if (eventAt == TimeSpan.MaxValue)
            {
                break;
            }

            now = eventAt;
            if (finishAt == now)
            {
                scheduler.CompleteBatch(running);
                finishAt = null;
            }

            while (next < arrivals.Length && nextArrival == now)
            {
                var (_, samples, sloMs, shape) = arrivals[next];
                var r = new RequestHandle(next, samples, shape == 0 ? Requests.ShapeA : Requests.ShapeB, now, now + Ms(sloMs));
                handles.Add(r);
                if (scheduler.Enqueue(r, now) == EnqueueStatus.Accepted)
                {
                    queued.Add(r);
                }
                else
                {
                    Assert.True(r.IsCompleted);
                }

                next++;
                nextArrival = next < arrivals.Length ? now + TimeSpan.FromMicroseconds(arrivals[next].GapUs) : TimeSpan.MaxValue;
            }
        }

        Assert.Empty(queued);
        Assert.All(handles, r => Assert.True(r.IsCompleted, $"{r} never got an outcome"));
        Assert.All(handedOut, r => Assert.Equal(OutcomeKind.Completed, r.Outcome!.Value.Kind));
        Assert.Equal(handles.Count, handedOut.Count + handles.Count(r => r.Outcome!.Value.Kind != OutcomeKind.Completed));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
