using MigInfer.InferenceServer.Model;

namespace MigInfer.InferenceServer.Hosting;

/// <summary>A built server: start it, read the bound ports, wait for the model, stop it gracefully.</summary>
internal sealed class ServerApp(WebApplication app, Listeners listeners) : IAsyncDisposable
{
    public Listeners Listeners => listeners;

    public IServiceProvider Services => app.Services;

    public InferenceEngine Engine => app.Services.GetRequiredService<InferenceEngine>();

    /// <summary>Completes when the model is loaded and warmed up; faults when loading failed.</summary>
    public Task ModelLoading => app.Services.GetRequiredService<ModelLifetimeService>().Loading;

    public Task StartAsync(CancellationToken cancellationToken) => app.StartAsync(cancellationToken);

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Drains (answers every queued request, refuses new ones with UNAVAILABLE) and stops.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => app.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
