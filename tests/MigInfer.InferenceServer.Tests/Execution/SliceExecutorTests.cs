using System.Runtime.InteropServices;
using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using MigInfer.InferenceServer.Configuration;
using MigInfer.InferenceServer.Execution;
using MigInfer.InferenceServer.Tensors;
using MigInfer.InferenceServer.Tests.Fixtures;

namespace MigInfer.InferenceServer.Tests.Execution;

public sealed class SliceExecutorTests
{
    [Fact]
    public async Task QueuedCompatibleRequests_RunAsOneBatchAndEachGetsItsRows()
    {
        var runner = new EchoRunner(maxBatchSize: 8);
        using var gate = RunGate.On(runner);
        using var executor = Create(runner);
        var first = executor.EnqueueAsync(Request(runner, 1, [0]), CancellationToken.None);
        await gate.Entered().WithTimeout();
        var rest = Enumerable.Range(1, 4).Select(i => executor.EnqueueAsync(Request(runner, 1, [i]), CancellationToken.None)).ToArray();
        gate.Release(2);

        var answers = await Task.WhenAll([first, .. rest]).WithTimeout();

        Assert.Equal([1L, 4L], runner.Batches);
        for (var i = 0; i < answers.Length; i++)
        {
            Assert.Equal([i], MemoryMarshal.Cast<byte, int>(answers[i][0].Raw).ToArray());
            Assert.Equal([1L, 1L], answers[i][0].Shape);
        }
    }

    [Fact]
    public async Task DifferentTrailingShapesOrFullBatches_AreNotMixed()
    {
        var runner = new EchoRunner(maxBatchSize: 3);
        using var gate = new SemaphoreSlim(0);
        runner.BeforeRun = () => gate.WaitAsync();
        using var executor = Create(runner);
        var calls = new[]
        {
            executor.EnqueueAsync(Request(runner, 1, [0]), CancellationToken.None),
            executor.EnqueueAsync(Request(runner, 2, [1, 2]), CancellationToken.None),
            executor.EnqueueAsync(Request(runner, 1, [3, 4], width: 2), CancellationToken.None),
            executor.EnqueueAsync(Request(runner, 2, [5, 6]), CancellationToken.None),
        };
        gate.Release(10);

        await Task.WhenAll(calls).WithTimeout();

        Assert.Equal(6, runner.Batches.Sum());
        Assert.All(runner.Batches, b => Assert.InRange(b, 1, 3));
        var wide = await calls[2];
        Assert.Equal([3, 4], MemoryMarshal.Cast<byte, int>(wide[0].Raw).ToArray());
    }

    [Fact]
    public async Task QueueDelay_WaitsForAFullerBatch()
    {
        var runner = new EchoRunner(maxBatchSize: 4);
        using var executor = Create(runner, delay: TimeSpan.FromSeconds(5));
        var calls = Enumerable.Range(0, 4).Select(i => executor.EnqueueAsync(Request(runner, 1, [i]), CancellationToken.None)).ToArray();

        await Task.WhenAll(calls).WithTimeout();

        Assert.Equal([4L], runner.Batches);
    }

    [Fact]
    public async Task Stop_AnswersEveryQueuedRequestThenRefusesNewOnes()
    {
        var runner = new EchoRunner(maxBatchSize: 1);
        using var executor = Create(runner, delay: TimeSpan.FromMinutes(1));
        var calls = Enumerable.Range(0, 5).Select(i => executor.EnqueueAsync(Request(runner, 1, [i]), CancellationToken.None)).ToArray();

        await executor.StopAsync().WithTimeout();

        var answers = await Task.WhenAll(calls).WithTimeout();
        Assert.Equal(5, answers.Length);
        Assert.Equal(5, runner.Batches.Count);
        var error = await Assert.ThrowsAsync<InferenceException>(() => executor.EnqueueAsync(Request(runner, 1, [9]), CancellationToken.None).WithTimeout());
        Assert.Equal(ErrorKind.Unavailable, error.Kind);
    }

    [Fact]
    public async Task CancelledWhileQueued_AnswersTheCallerCancelledAndStillDrains()
    {
        var runner = new EchoRunner(maxBatchSize: 1);
        using var gate = RunGate.On(runner);
        using var executor = Create(runner);
        using var cancel = new CancellationTokenSource();
        var running = executor.EnqueueAsync(Request(runner, 1, [0]), CancellationToken.None);
        await gate.Entered().WithTimeout();
        var queued = executor.EnqueueAsync(Request(runner, 1, [1]), cancel.Token);

        await cancel.CancelAsync();

        var error = await Assert.ThrowsAsync<InferenceException>(() => queued.WithTimeout());
        Assert.Equal(ErrorKind.Cancelled, error.Kind);
        gate.Release(2);
        await running.WithTimeout();
        await executor.StopAsync().WithTimeout();
        Assert.Equal(0, executor.PendingCount);
    }

    [Fact]
    public async Task UnreachableSlo_IsDeadlineExceeded()
    {
        var runner = new EchoRunner(maxBatchSize: 4);
        var options = new ServerOptions { ModelPath = "echo.onnx", ModelName = "echo", Slo = TimeSpan.FromMilliseconds(5) };
        using var executor = new SliceExecutorFactory(options, TimeProvider.System, NullLogger<SliceExecutor>.Instance)
            .Create(runner, new NullObserver(), new Dictionary<int, double> { [1] = 50 });

        var error = await Assert.ThrowsAsync<InferenceException>(() => executor.EnqueueAsync(Request(runner, 1, [0]), CancellationToken.None).WithTimeout());

        Assert.Equal(ErrorKind.DeadlineExceeded, error.Kind);
        Assert.Contains("Deadline cannot be met", error.Message, StringComparison.Ordinal);
        Assert.Empty(runner.Batches);
    }

    [Fact]
    public async Task PreferredBatchSize_DispatchesWithoutWaitingOutTheQueueDelay()
    {
        var runner = new EchoRunner(maxBatchSize: 4);
        var options = new ServerOptions { ModelPath = "echo.onnx", ModelName = "echo", MaxQueueDelay = TimeSpan.FromMinutes(1), PreferredBatchSizes = [2] };
        using var executor = new SliceExecutorFactory(options, TimeProvider.System, NullLogger<SliceExecutor>.Instance)
            .Create(runner, new NullObserver(), new Dictionary<int, double> { [1] = 0.1 });

        await Task.WhenAll(
            executor.EnqueueAsync(Request(runner, 1, [0]), CancellationToken.None),
            executor.EnqueueAsync(Request(runner, 1, [1]), CancellationToken.None)).WithTimeout();

        Assert.Equal([2L], runner.Batches);
    }

    [Fact]
    public async Task QueueFull_IsRefusedWithQueueFull()
    {
        var runner = new EchoRunner(maxBatchSize: 1);
        using var gate = RunGate.On(runner);
        using var executor = Create(runner, maxQueue: 1);
        var running = executor.EnqueueAsync(Request(runner, 1, [0]), CancellationToken.None);
        await gate.Entered().WithTimeout();
        var queued = executor.EnqueueAsync(Request(runner, 1, [1]), CancellationToken.None);

        var error = await Assert.ThrowsAsync<InferenceException>(() => executor.EnqueueAsync(Request(runner, 1, [2]), CancellationToken.None).WithTimeout());

        Assert.Equal(ErrorKind.QueueFull, error.Kind);
        gate.Release(2);
        await Task.WhenAll(running, queued).WithTimeout();
    }

    [Fact]
    public void AnyMixOfRequests_EachAcceptedRequestGetsExactlyItsOwnAnswer()
    {
        Gen.Select(Gen.Int[1, 4], Gen.Int[1, 3]).Array[1, 30].Sample(shapes =>
        {
            var runner = new EchoRunner(maxBatchSize: 5);
            using var executor = Create(runner, delay: TimeSpan.FromMilliseconds(1));
            var next = 0;
            var requests = shapes.Select(s =>
            {
                var values = Enumerable.Range(next, s.Item1 * s.Item2).ToArray();
                next += values.Length;
                return (Values: values, Task: executor.EnqueueAsync(Request(runner, s.Item1, values, s.Item2), CancellationToken.None));
            }).ToArray();

            Task.WhenAll(requests.Select(r => r.Task)).WithTimeout().GetAwaiter().GetResult();

            foreach (var (values, task) in requests)
            {
                Assert.Equal(values, MemoryMarshal.Cast<byte, int>(task.Result[0].Raw).ToArray());
            }

            Assert.Equal(shapes.Sum(s => s.Item1), runner.Batches.Sum());
        }, iter: 50);
    }

    private static IInferenceScheduler Create(EchoRunner runner, TimeSpan? delay = null, int maxQueue = 100)
    {
        var options = new ServerOptions { ModelPath = "echo.onnx", ModelName = "echo", MaxQueueDelay = delay ?? TimeSpan.Zero, MaxQueueSize = maxQueue };
        return new SliceExecutorFactory(options, TimeProvider.System, NullLogger<SliceExecutor>.Instance)
            .Create(runner, new NullObserver(), new Dictionary<int, double> { [1] = 0.1 });
    }

    private static ScheduledRequest Request(EchoRunner runner, int batch, int[] values, int? width = null)
    {
        var columns = width ?? values.Length / batch;
        var tensor = TestTensors.Of("x", DataType.Int32, [batch, columns], values);
        return new ScheduledRequest(runner.Signature.Validate([tensor]), null);
    }

    private sealed class NullObserver : ISchedulerObserver
    {
        public void Dequeued(TimeSpan queueTime)
        {
        }

        public void Executed(int requests, int batchElements, TimeSpan computeTime)
        {
        }
    }
}
