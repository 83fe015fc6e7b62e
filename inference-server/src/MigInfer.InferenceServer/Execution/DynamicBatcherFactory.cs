using MigInfer.InferenceServer.Configuration;

namespace MigInfer.InferenceServer.Execution;

/// <summary>Creates a <see cref="DynamicBatcher"/> with the server's queue limits.</summary>
internal sealed class DynamicBatcherFactory(ServerOptions options, TimeProvider time, ILogger<DynamicBatcher> logger) : ISchedulerFactory
{
    public IInferenceScheduler Create(IModelRunner runner, ISchedulerObserver observer) =>
        new DynamicBatcher(runner, new BatcherOptions(options.MaxQueueSize, options.MaxQueueDelay, options.Slo), observer, time, logger);
}
