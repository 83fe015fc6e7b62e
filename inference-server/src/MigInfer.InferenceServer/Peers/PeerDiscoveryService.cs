using MigInfer.InferenceServer.Configuration;
using MigInfer.InferenceServer.Hosting;

namespace MigInfer.InferenceServer.Peers;

/// <summary>
/// Resolves <see cref="ServerOptions.PeerDns"/> every <see cref="ServerOptions.PeerRefresh"/> (the CoreDNS
/// TTL of a headless Service is 5 s) and publishes the peers it finds to <see cref="DiscoveredPeers"/>.
/// Runs only when the option is given.
/// </summary>
internal sealed class PeerDiscoveryService(
    ServerOptions options,
    IPeerResolver resolver,
    DiscoveredPeers peers,
    Listeners listeners,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<PeerDiscoveryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // The own gRPC port, for recognising this server among the addresses, is known once Kestrel has bound.
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(started.SetResult))
            {
                await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
            }

            var name = PeerLink.IdOf(options.PeerDns!);
            var discovery = new PeerDiscovery(resolver, peers, name, listeners.EndPoint(ListenerKind.Grpc).Port, PeerSelfFilter.LocalAddresses(), logger);
            logger.PeerDiscoveryStarted(name, options.PeerRefresh.TotalMilliseconds);
            using var timer = new PeriodicTimer(options.PeerRefresh, time);
            do
            {
                await discovery.RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
