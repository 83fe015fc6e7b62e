using System.Net;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MigInfer.InferenceServer.Configuration;
using MigInfer.InferenceServer.Hosting;
using MigInfer.InferenceServer.Protocol;

namespace MigInfer.InferenceServer.Tests.Fixtures;

/// <summary>A real server on 127.0.0.1 with free ports, and real gRPC and HTTP clients over loopback.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private RunningServer(ServerApp app, ServerOptions options)
    {
        App = app;
        Options = options;
        var grpc = app.Listeners.EndPoint(ListenerKind.Grpc);
        Channel = GrpcChannel.ForAddress($"http://{grpc}", new GrpcChannelOptions { MaxReceiveMessageSize = null, MaxSendMessageSize = null });
        Grpc = new GRPCInferenceService.GRPCInferenceServiceClient(Channel);
        Http = new HttpClient { BaseAddress = new Uri($"http://{app.Listeners.EndPoint(ListenerKind.Http)}"), Timeout = TestTimeouts.Default };
        Metrics = new HttpClient { BaseAddress = new Uri($"http://{app.Listeners.EndPoint(ListenerKind.Metrics)}"), Timeout = TestTimeouts.Default };
    }

    public ServerApp App { get; }

    public ServerOptions Options { get; }

    public GrpcChannel Channel { get; }

    public GRPCInferenceService.GRPCInferenceServiceClient Grpc { get; }

    public HttpClient Http { get; }

    public HttpClient Metrics { get; }

    /// <summary>
    /// Batch-1 executions a server of a model with FP32 inputs runs before it says ready, one per request path
    /// (HTTP/JSON, gRPC raw and typed contents, a peer's forward): in its observed profile, in none of its counters.
    /// </summary>
    public const int WarmUpRequests = 4;

    public static ServerOptions OptionsFor(string model) => new()
    {
        ModelPath = ModelFiles.PathOf(model),
        ModelName = model,
        ListenAddress = IPAddress.Loopback,
        HttpPort = 0,
        GrpcPort = 0,
        MetricsPort = 0,
        MaxBatchSize = 8,
        IntraOpThreads = 1,
        SliceProfile = "1g.10gb",
    };

    /// <summary>Starts a server and waits until its model is ready.</summary>
    public static async Task<RunningServer> StartAsync(ServerOptions options, Action<IServiceCollection>? configureServices = null, bool waitForModel = true)
    {
        var app = ServerHost.Build(options, services =>
        {
            services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
            configureServices?.Invoke(services);
        });
        await app.StartAsync(CancellationToken.None).WithTimeout();
        if (waitForModel)
        {
            await app.ModelLoading.WithTimeout();
        }

        return new RunningServer(app, options);
    }

    public static Task<RunningServer> StartAsync(string model) => StartAsync(OptionsFor(model));

    /// <summary>The value of the first series line starting with <paramref name="series"/>, or null.</summary>
    public Task<double?> MetricAsync(string series) => MetricsText.ScrapeAsync(Metrics, series);

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        Http.Dispose();
        Metrics.Dispose();
        await App.StopAsync(CancellationToken.None).WithTimeout();
        await App.DisposeAsync();
    }
}
