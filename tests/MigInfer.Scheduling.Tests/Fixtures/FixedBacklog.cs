namespace MigInfer.Scheduling.Tests.Fixtures;

/// <summary>A local slice whose backlog the test sets directly.</summary>
internal sealed class FixedBacklog(TimeSpan backlog) : IBacklogSource
{
    public TimeSpan Value { get; set; } = backlog;

    public TimeSpan Backlog(TimeSpan now) => Value;
}
