namespace MigInfer.Scheduling;

/// <summary>What the batcher wants the idle executor to do.</summary>
public enum BatchDecisionKind
{
    /// <summary>Nothing is queued (after expiries): sleep until the next enqueue.</summary>
    Idle,

    /// <summary>Run the chosen requests now as one batch.</summary>
    Dispatch,

    /// <summary>Wait for a fuller batch until <see cref="BatchDecision.WaitUntil"/> or the next enqueue, then ask again.</summary>
    Wait,
}
