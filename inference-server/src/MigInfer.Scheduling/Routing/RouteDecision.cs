namespace MigInfer.Scheduling;

/// <summary>The router's answer for one request.</summary>
/// <param name="Outcome">What to do.</param>
/// <param name="CandidateIndex">Index of the chosen slice in the candidate list; -1 when none.</param>
/// <param name="SliceId">Id of the chosen slice; null when none.</param>
/// <param name="IsLocal">True when the chosen slice runs in this process; otherwise forward the request marked local-only.</param>
/// <param name="EstimatedFinish">Estimated completion on the chosen (or, for a shed, the earliest) slice.</param>
/// <param name="Deadline">The effective deadline used.</param>
/// <param name="PredictedLatency">Predicted execution time on the chosen slice; what a forward adds to the peer's backlog.</param>
public readonly record struct RouteDecision(
    RouteOutcome Outcome,
    int CandidateIndex,
    string? SliceId,
    bool IsLocal,
    TimeSpan EstimatedFinish,
    TimeSpan Deadline,
    TimeSpan PredictedLatency)
{
    /// <summary>True when the request goes to a slice (on time or late within the shed limit).</summary>
    public bool IsRouted => Outcome is RouteOutcome.Routed or RouteOutcome.RoutedLate;

    /// <summary>True when the request must be forwarded to a peer.</summary>
    public bool IsForward => IsRouted && !IsLocal;
}
