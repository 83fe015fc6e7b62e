using MigInfer.InferenceServer.Configuration;

namespace MigInfer.InferenceServer.Hosting;

/// <summary>Runs the server process: bind, print the ports, serve until SIGTERM or Ctrl+C, drain, exit.</summary>
internal static class ServerRunner
{
    public static Task<int> RunAsync(ServerOptions options, CancellationToken cancellationToken) => RunAsync(options, Console.Error, cancellationToken);

    /// <summary>Runs the server; a port it cannot bind ends it with exit code 1 and one line on <paramref name="errors"/>.</summary>
    internal static async Task<int> RunAsync(ServerOptions options, TextWriter errors, CancellationToken cancellationToken)
    {
        Prometheus.Metrics.SuppressDefaultMetrics();
        var app = ServerHost.Build(options);
        await using (app.ConfigureAwait(false))
        {
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                await errors.WriteLineAsync($"cannot listen (--http-port {options.HttpPort}, --grpc-port {options.GrpcPort}, --metrics-port {options.MetricsPort}): {e.Message}").ConfigureAwait(false);
                return 1;
            }

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
