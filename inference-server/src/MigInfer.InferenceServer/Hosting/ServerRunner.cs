using MigInfer.InferenceServer.Configuration;

namespace MigInfer.InferenceServer.Hosting;

/// <summary>Runs the server process: bind, print the ports, serve until SIGTERM or Ctrl+C, drain, exit.</summary>
internal static class ServerRunner
{
    public static async Task<int> RunAsync(ServerOptions options, CancellationToken cancellationToken)
    {
        Prometheus.Metrics.SuppressDefaultMetrics();
        var app = ServerHost.Build(options);
        await using (app.ConfigureAwait(false))
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var logger = app.Services.GetRequiredService<ILogger<ServerApp>>();
            logger.Listening(app.Listeners.EndPoint(ListenerKind.Http).ToString(), app.Listeners.EndPoint(ListenerKind.Grpc).ToString(), app.Listeners.EndPoint(ListenerKind.Metrics).ToString());
            // One plain line on stdout, for scripts and tests to parse.
            Console.Out.WriteLine(app.Listeners.Describe());
            await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return app.ModelLoading.IsFaulted ? 1 : 0;
        }
    }
}
