using MigInfer.InferenceServer.Model;

namespace MigInfer.InferenceServer.Hosting;

/// <summary>
/// Loads and warms up the model after the ports are bound (so liveness answers during loading), sends the server's
/// own request paths their first requests (<see cref="RequestPathWarmUp"/>) and only then says ready;
/// stops the process when loading fails, and on shutdown drains: refuses new requests with
/// UNAVAILABLE and answers every queued one. Draining runs in <see cref="StoppingAsync"/>, before any
/// hosted service stops, so the server still accepts connections and delivers every answer.
/// </summary>
internal sealed class ModelLifetimeService(InferenceEngine engine, Listeners listeners, IHostApplicationLifetime lifetime, ILogger<ModelLifetimeService> logger) : IHostedLifecycleService
{
    private Task _loading = Task.CompletedTask;

    /// <summary>Completes when the model is ready; faults when loading failed.</summary>
    public Task Loading => _loading;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Starts loading once every hosted service, Kestrel included, has started: a load that fails at once cannot cancel the binding.</summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _loading = Task.Run(LoadAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _loading.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
        await engine.DrainAsync().ConfigureAwait(false);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task LoadAsync()
    {
        try
        {
            await engine.LoadAsync(lifetime.ApplicationStopping).ConfigureAwait(false);
            var options = engine.Options;
            var (elapsed, failures) = await RequestPathWarmUp.RunAsync(listeners, options, engine.Find(options.ModelName, options.ModelVersion), lifetime.ApplicationStopping).ConfigureAwait(false);
            engine.MarkReady();
            logger.ModelReady(options.ModelName, elapsed.TotalMilliseconds, failures.Count == 0 ? "" : $"; failed: {string.Join("; ", failures)}");
        }
        catch (Exception) when (!lifetime.ApplicationStopping.IsCancellationRequested)
        {
            lifetime.StopApplication();
            throw;
        }
    }
}
