using System.Diagnostics;
using MigInfer.Operator.Observability;

namespace MigInfer.Operator.Controllers;

/// <summary>
/// Runs one reconciler over its work queue with a few workers, turns each pass's result into the
/// queue's next step (forget, requeue after, retry with backoff), and records metrics. An exception
/// is a transient failure: logged with the object's scope, retried with backoff, never hot.
/// </summary>
internal sealed class KindController(IReconciler reconciler, WorkQueue queue, int workers, OperatorMetrics metrics, ILogger logger)
{
    public WorkQueue Queue => queue;

    public string Kind => reconciler.Kind;

    public Task RunAsync(CancellationToken cancel) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkAsync(cancel), CancellationToken.None)));

    private async Task WorkAsync(CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            string key;
            try
            {
                key = await queue.GetAsync(cancel);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            metrics.QueueDepth.WithLabels(Kind).Set(queue.Depth);
            try
            {
                await ProcessAsync(key, cancel);
            }
            finally
            {
                queue.Done(key);
            }
        }
    }

    private async Task ProcessAsync(string key, CancellationToken cancel)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["kind"] = Kind, ["object"] = key });
        var clock = Stopwatch.StartNew();
        ReconcileResult result;
        try
        {
            result = await reconciler.ReconcileAsync(key, cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            result = ReconcileResult.TransientFailure(e.GetType().Name, e);
        }

        metrics.ReconcileDuration.WithLabels(Kind).Observe(clock.Elapsed.TotalSeconds);
        switch (result)
        {
            case ReconcileResult.RequeueResult requeue:
                metrics.Reconciles.WithLabels(Kind, "requeue").Inc();
                queue.Forget(key);
                queue.AddAfter(key, requeue.Delay);
                break;
            case ReconcileResult.FailureResult failure:
                metrics.Reconciles.WithLabels(Kind, "error").Inc();
                metrics.ReconcileErrors.WithLabels(Kind).Inc();
                logger.ReconcileFailed(failure.Error, Kind, key, failure.Reason, queue.Failures(key) + 1);
                queue.AddRateLimited(key);
                break;
            default:
                metrics.Reconciles.WithLabels(Kind, "done").Inc();
                queue.Forget(key);
                break;
        }
    }
}
