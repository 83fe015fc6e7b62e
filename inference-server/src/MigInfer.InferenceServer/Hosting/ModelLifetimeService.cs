using MigInfer.InferenceServer.Model;

namespace MigInfer.InferenceServer.Hosting;

/// <summary>
/// Loads and warms up the model after the ports are bound (so liveness answers during loading),
/// stops the process when loading fails, and on shutdown drains: refuses new requests and answers
/// every queued one before the server closes its connections.
/// </summary>
internal sealed class ModelLifetimeService(InferenceEngine engine, IHostApplicationLifetime lifetime) : IHostedService
{
    private Task _loading = Task.CompletedTask;

    /// <summary>Completes when the model is ready; faults when loading failed.</summary>
    public Task Loading => _loading;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loading = Task.Run(LoadAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _loading.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
        await engine.DrainAsync().ConfigureAwait(false);
    }

    private async Task LoadAsync()
    {
        try
        {
            await engine.LoadAsync(lifetime.ApplicationStopping).ConfigureAwait(false);
        }
        catch (Exception) when (!lifetime.ApplicationStopping.IsCancellationRequested)
        {
            lifetime.StopApplication();
            throw;
        }
    }
}
