namespace MigInfer.Scheduling;

/// <summary>The batcher's answer. The chosen and expired requests are given as queue indices through the caller's spans.</summary>
/// <param name="Kind">Dispatch, wait or idle.</param>
/// <param name="Count">Requests in the batch (the first <paramref name="Count"/> batch indices).</param>
/// <param name="Samples">Samples in the batch.</param>
/// <param name="PredictedLatency">Predicted execution time of the batch.</param>
/// <param name="WaitUntil">For <see cref="BatchDecisionKind.Wait"/>, when to decide again at the latest.</param>
/// <param name="ExpiredCount">Requests that can no longer meet their deadline (the first <paramref name="ExpiredCount"/> expired indices).</param>
public readonly record struct BatchDecision(
    BatchDecisionKind Kind,
    int Count,
    int Samples,
    TimeSpan PredictedLatency,
    TimeSpan WaitUntil,
    int ExpiredCount);
