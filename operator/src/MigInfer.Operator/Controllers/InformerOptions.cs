namespace MigInfer.Operator.Controllers;

/// <summary>Timing of the list-then-watch loop.</summary>
internal sealed record InformerOptions
{
    /// <summary>How often the whole kind is listed again and every object handed to the handlers, to repair anything missed.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Server-side timeout of one watch request; a random share is added so replicas spread out.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public Backoff ErrorBackoff { get; init; } = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));
}
