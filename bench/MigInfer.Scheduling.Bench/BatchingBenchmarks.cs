using BenchmarkDotNet.Attributes;

namespace MigInfer.Scheduling.Bench;

/// <summary>One batching decision over an EDF queue of 256 requests of two shapes.</summary>
[MemoryDiagnoser]
public class BatchingBenchmarks
{
    private readonly TimeSpan now = TimeSpan.FromMilliseconds(1);
    private readonly int[] batch = new int[32];
    private readonly int[] expired = new int[256];
    private LatencyModel model = null!;
    private ProfileHandle profile;
    private BatchingOptions options = null!;
    private QueueEntry[] queue = null!;

    [GlobalSetup]
    public void Setup()
    {
        model = BenchProfiles.Model();
        profile = model.Resolve("3g.40gb");
        options = new BatchingOptions { MaxBatchSize = 32, MaxQueueDelay = TimeSpan.FromMilliseconds(2), PreferredBatchSizes = [16, 32], MaxQueueSize = 256 };
        var a = ShapeKey.Of([3, 224, 224]);
        var b = ShapeKey.Of([3, 112, 112]);
        queue = Enumerable.Range(0, 256)
            .Select(i => new RequestHandle(i, 1 + (i % 3), i % 4 == 0 ? a : b, TimeSpan.Zero, TimeSpan.FromMilliseconds(40 + i)))
            .Select(r => new QueueEntry(r, model.Predict(profile, r.Samples)))
            .ToArray();
    }

    [Benchmark]
    public BatchDecision Decide256() => BatchPolicy.Decide(queue, now, model, profile, options, batch, expired);
}
