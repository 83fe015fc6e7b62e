namespace MigInfer.InferenceServer.Observability;

/// <summary>The <c>decision</c> label of <c>miginfer_routing_decisions_total</c>.</summary>
internal enum RoutingDecisionKind
{
    /// <summary>Executed on this server's slice.</summary>
    Local,

    /// <summary>Forwarded to a peer's slice.</summary>
    Forwarded,

    /// <summary>Rejected with RESOURCE_EXHAUSTED.</summary>
    Shed,
}
