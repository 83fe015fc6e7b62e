namespace MigInfer.Operator.Controllers;

/// <summary>What a reconcile pass asks of its queue: nothing more, another pass after a delay, or a retry with backoff.</summary>
internal abstract record ReconcileResult
{
    public static ReconcileResult Done { get; } = new DoneResult();

    public static ReconcileResult RequeueAfter(TimeSpan delay) => new RequeueResult(delay);

    public static ReconcileResult TransientFailure(string reason, Exception? error = null) => new FailureResult(reason, error);

    internal sealed record DoneResult : ReconcileResult;

    internal sealed record RequeueResult(TimeSpan Delay) : ReconcileResult;

    internal sealed record FailureResult(string Reason, Exception? Error) : ReconcileResult;
}
