namespace MigInfer.Scheduling;

/// <summary>The one final state every accepted request reaches.</summary>
public enum OutcomeKind
{
    /// <summary>Executed; the host wrote the result into its payload.</summary>
    Completed,

    /// <summary>Its deadline can no longer be met (DEADLINE_EXCEEDED).</summary>
    Expired,

    /// <summary>Not admitted or dropped before execution; see <see cref="OutcomeReason"/> for the status code.</summary>
    Rejected,

    /// <summary>Execution (or its peer) failed.</summary>
    Failed,
}
