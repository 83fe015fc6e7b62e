namespace MigInfer.Scheduling;

/// <summary>The final answer for a request; exactly one is set per <see cref="RequestHandle"/>.</summary>
/// <param name="Kind">Final state.</param>
/// <param name="Reason">Why; maps to the gRPC status.</param>
/// <param name="Message">Human-readable detail for the error response; empty when completed.</param>
public readonly record struct RequestOutcome(OutcomeKind Kind, OutcomeReason Reason, string Message)
{
    /// <summary>Successful execution.</summary>
    public static RequestOutcome Completed { get; } = new(OutcomeKind.Completed, OutcomeReason.None, string.Empty);

    /// <summary>A deadline miss.</summary>
    public static RequestOutcome Expired(OutcomeReason reason, string message) => new(OutcomeKind.Expired, reason, message);

    /// <summary>A rejection before execution.</summary>
    public static RequestOutcome Rejected(OutcomeReason reason, string message) => new(OutcomeKind.Rejected, reason, message);

    /// <summary>A failure during execution.</summary>
    public static RequestOutcome Failed(OutcomeReason reason, string message) => new(OutcomeKind.Failed, reason, message);
}
