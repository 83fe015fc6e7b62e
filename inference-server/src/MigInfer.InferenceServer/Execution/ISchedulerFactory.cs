namespace MigInfer.InferenceServer.Execution;

/// <summary>Creates the scheduler for the loaded model; the place to swap the scheduling policy.</summary>
internal interface ISchedulerFactory
{
    /// <param name="runner">The loaded, warmed-up model.</param>
    /// <param name="observer">Receives queue and execution times for metrics.</param>
    /// <param name="latencySeedMs">Milliseconds per batch size on this slice, to start the latency model from.</param>
    /// <param name="otherProfiles">Milliseconds per batch size of the service's other slice profiles (for routing to peers); null for none.</param>
    IInferenceScheduler Create(IModelRunner runner, ISchedulerObserver observer, IReadOnlyDictionary<int, double> latencySeedMs, IReadOnlyDictionary<string, IReadOnlyDictionary<int, double>>? otherProfiles = null);
}
