namespace MigInfer.InferenceServer.Tests.Fixtures;

/// <summary>Holds every run of an <see cref="EchoRunner"/> until released, and says when a run has started.</summary>
internal sealed class RunGate : IDisposable
{
    private readonly SemaphoreSlim _gate = new(0);
    private readonly SemaphoreSlim _entered = new(0);

    public static RunGate On(EchoRunner runner)
    {
        var gate = new RunGate();
        runner.BeforeRun = () =>
        {
            gate._entered.Release();
            return gate._gate.WaitAsync();
        };
        return gate;
    }

    /// <summary>Completes when a run has started and is held.</summary>
    public Task Entered() => _entered.WaitAsync();

    /// <summary>Lets <paramref name="runs"/> held or future runs proceed.</summary>
    public void Release(int runs) => _gate.Release(runs);

    public void Dispose()
    {
        _gate.Dispose();
        _entered.Dispose();
    }
}
