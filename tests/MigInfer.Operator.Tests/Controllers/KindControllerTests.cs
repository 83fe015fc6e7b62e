using System.Collections.Concurrent;
using MigInfer.Operator.Controllers;
using MigInfer.Operator.Observability;
using MigInfer.Operator.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace MigInfer.Operator.Tests.Controllers;

public sealed class KindControllerTests
{
    [Fact]
    public async Task Results_DriveTheQueue_FailuresRetryAndRequeuesReturn()
    {
        var reconciler = new ScriptedReconciler(
            ReconcileResult.TransientFailure("Conflict"),
            ReconcileResult.RequeueAfter(TimeSpan.FromMilliseconds(20)),
            ReconcileResult.Done);
        using var queue = new WorkQueue(new Backoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20)), TimeProvider.System);
        var metrics = new OperatorMetrics(new CollectorRegistry());
        var controller = new KindController(reconciler, queue, workers: 2, metrics, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = controller.RunAsync(stop.Token);

        queue.Add("ns/a");
        await Timeouts.Eventually(() => Task.FromResult(reconciler.Calls.Count == 3), "three passes");
        await stop.CancelAsync();
        await running.Within();

        Assert.Equal(1, metrics.ReconcileErrors.WithLabels("Test").Value);
        Assert.Equal(1, metrics.Reconciles.WithLabels("Test", "requeue").Value);
        Assert.Equal(1, metrics.Reconciles.WithLabels("Test", "done").Value);
        Assert.Equal(0, queue.Failures("ns/a"));
    }

    private sealed class ScriptedReconciler(params ReconcileResult[] results) : IReconciler
    {
        public ConcurrentQueue<string> Calls { get; } = new();

        public string Kind => "Test";

        public Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancel)
        {
            Calls.Enqueue(key);
            return Task.FromResult(results[Math.Min(Calls.Count, results.Length) - 1]);
        }
    }
}
