namespace MigInfer.InferenceServer.Execution;

/// <summary>What a scheduler reports for metrics.</summary>
internal interface ISchedulerObserver
{
    void Dequeued(TimeSpan queueTime);

    void Executed(int requests, int batchElements, TimeSpan computeTime);
}
