namespace MigInfer.Scheduling;

/// <summary>A request this router forwarded to a peer and has not seen answered yet.</summary>
/// <param name="PeerId">The peer slice.</param>
/// <param name="RequestId">The host's request id.</param>
/// <param name="SentAt">When it was forwarded.</param>
/// <param name="PredictedLatency">Work it added to the peer's backlog estimate.</param>
/// <param name="Started">True once the peer said it began executing; such a request is not safe to retry elsewhere.</param>
public readonly record struct ForwardRecord(string PeerId, long RequestId, TimeSpan SentAt, TimeSpan PredictedLatency, bool Started);
