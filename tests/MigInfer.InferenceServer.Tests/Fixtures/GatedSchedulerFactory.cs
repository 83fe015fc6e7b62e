using MigInfer.InferenceServer.Configuration;
using MigInfer.InferenceServer.Execution;
using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Tensors;
using Microsoft.Extensions.Logging.Abstractions;

namespace MigInfer.InferenceServer.Tests.Fixtures;

/// <summary>
/// The real slice executor over a runner that, once <see cref="Hold"/> is called, waits at a gate, so tests can hold
/// executions and fill the queue. Before that it runs freely: the server's own warm-up requests pass.
/// </summary>
internal sealed class GatedSchedulerFactory(ServerOptions options) : ISchedulerFactory, IDisposable
{
    private readonly SemaphoreSlim _gate = new(0, int.MaxValue);
    private readonly SemaphoreSlim _entered = new(0, int.MaxValue);

    public IInferenceScheduler Create(IModelRunner runner, ISchedulerObserver observer, IReadOnlyDictionary<int, double> latencySeedMs, IReadOnlyDictionary<string, IReadOnlyDictionary<int, double>>? otherProfiles = null) =>
        new SliceExecutorFactory(options, TimeProvider.System, NullLogger<SliceExecutor>.Instance).Create(new GatedRunner(runner, this), observer, latencySeedMs, otherProfiles);

    private volatile bool _holding;

    /// <summary>Holds every execution from now on at the gate, until <see cref="Open"/>.</summary>
    public void Hold() => _holding = true;

    /// <summary>Lets executions through from now on.</summary>
    public void Open() => _gate.Release(int.MaxValue / 2);

    /// <summary>Completes when an execution has reached the gate.</summary>
    public Task WaitForExecutionAsync() => _entered.WaitAsync();

    public void Dispose()
    {
        _gate.Dispose();
        _entered.Dispose();
    }

    private sealed class GatedRunner(IModelRunner inner, GatedSchedulerFactory owner) : IModelRunner
    {
        public ModelSignature Signature => inner.Signature;

        public IReadOnlyList<TensorData> Run(IReadOnlyList<TensorData> inputs)
        {
            if (owner._holding)
            {
                owner._entered.Release();
                owner._gate.Wait();
            }

            return inner.Run(inputs);
        }
    }
}
