using MigInfer.InferenceServer.Configuration;
using MigInfer.Scheduling;

namespace MigInfer.InferenceServer.Execution;

/// <summary>Creates a <see cref="SliceExecutor"/> with the server's batching limits and a latency model seeded for this slice and the service's other profiles.</summary>
internal sealed class SliceExecutorFactory(ServerOptions options, TimeProvider time, ILogger<SliceExecutor> logger) : ISchedulerFactory
{
    public IInferenceScheduler Create(IModelRunner runner, ISchedulerObserver observer, IReadOnlyDictionary<int, double> latencySeedMs, IReadOnlyDictionary<string, IReadOnlyDictionary<int, double>>? otherProfiles = null)
    {
        var profiles = new Dictionary<string, IReadOnlyDictionary<int, double>>(otherProfiles ?? new Dictionary<string, IReadOnlyDictionary<int, double>>())
        {
            [options.SliceProfile] = latencySeedMs,
        };
        var model = new LatencyModel(profiles);
        var batching = new BatchingOptions
        {
            MaxBatchSize = Math.Max(1, runner.Signature.MaxBatchSize),
            MaxQueueDelay = options.MaxQueueDelay,
            MaxQueueSize = options.MaxQueueSize,
            // A model without a batch dimension runs one request at a time; preferred sizes do not apply.
            PreferredBatchSizes = runner.Signature.Batched ? options.PreferredBatchSizes : [],
        };
        var scheduler = new SliceScheduler(model, model.Resolve(options.SliceProfile), batching);
        return new SliceExecutor(runner, scheduler, model, options.Slo, observer, time, logger);
    }
}
