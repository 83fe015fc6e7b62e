namespace MigInfer.Scheduling;

/// <summary>Something that knows the exact work queued on a local slice (implemented by <see cref="SliceScheduler"/>).</summary>
public interface IBacklogSource
{
    /// <summary>Predicted time until the slice could start new work: queued work plus what remains of the running batch.</summary>
    TimeSpan Backlog(TimeSpan now);
}
