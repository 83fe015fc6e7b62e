namespace MigInfer.InferenceServer.Execution;

/// <summary>Creates the scheduler for the loaded model; the place to swap the scheduling policy.</summary>
internal interface ISchedulerFactory
{
    IInferenceScheduler Create(IModelRunner runner, ISchedulerObserver observer);
}
