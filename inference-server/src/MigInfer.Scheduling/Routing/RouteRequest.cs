namespace MigInfer.Scheduling;

/// <summary>What the router needs to know about one request. Instants are offsets from the host's monotonic origin.</summary>
/// <param name="Samples">Batch dimension of the request (number of samples).</param>
/// <param name="Arrival">When the request arrived.</param>
/// <param name="Slo">The service's latency objective.</param>
/// <param name="ClientDeadline">The client's own deadline (gRPC deadline), if any.</param>
public readonly record struct RouteRequest(int Samples, TimeSpan Arrival, TimeSpan Slo, TimeSpan? ClientDeadline = null)
{
    /// <summary>The effective deadline: the earlier of the client's deadline and arrival + SLO.</summary>
    public TimeSpan Deadline => EffectiveDeadline(Arrival, Slo, ClientDeadline);

    /// <summary>The earlier of <paramref name="clientDeadline"/> and <paramref name="arrival"/> + <paramref name="slo"/>.</summary>
    public static TimeSpan EffectiveDeadline(TimeSpan arrival, TimeSpan slo, TimeSpan? clientDeadline)
    {
        var byService = arrival + slo;
        return clientDeadline is { } client && client < byService ? client : byService;
    }
}
