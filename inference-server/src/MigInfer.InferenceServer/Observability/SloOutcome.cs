namespace MigInfer.InferenceServer.Observability;

/// <summary>What became of a client request against its deadline: the <c>outcome</c> label of <c>miginfer_slo_requests_total</c>.</summary>
internal enum SloOutcome
{
    /// <summary>Answered successfully by its deadline.</summary>
    Met,

    /// <summary>Answered after its deadline, or DEADLINE_EXCEEDED.</summary>
    Late,

    /// <summary>Refused with RESOURCE_EXHAUSTED: no slice could finish it in time, or the queue was full.</summary>
    Shed,

    /// <summary>Any other error the service caused (UNAVAILABLE, INTERNAL).</summary>
    Failed,
}
