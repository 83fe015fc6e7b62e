using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using MigInfer.InferenceServer.Configuration;
using MigInfer.InferenceServer.Execution;
using MigInfer.InferenceServer.Grpc;
using MigInfer.InferenceServer.Http;
using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Peers;
using Prometheus;

namespace MigInfer.InferenceServer.Hosting;

/// <summary>Builds the server: Kestrel on three ports (HTTP/1.1 JSON, HTTP/2 gRPC, metrics) around one <see cref="InferenceEngine"/>.</summary>
internal static class ServerHost
{
    public static ServerApp Build(ServerOptions options, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var listeners = new Listeners();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxMessageBytes;

            // A batch of images is megabytes: with Kestrel's default windows (768 KB per stream) every
            // request waits for several WINDOW_UPDATE round trips. Let one request arrive in one flight.
            kestrel.Limits.Http2.InitialStreamWindowSize = Math.Clamp(options.MaxMessageBytes, 65_535, 16 * 1024 * 1024);
            kestrel.Limits.Http2.InitialConnectionWindowSize = Math.Clamp(2 * options.MaxMessageBytes, 65_535, 32 * 1024 * 1024);
            kestrel.Listen(options.ListenAddress, options.HttpPort, l =>
            {
                l.Protocols = HttpProtocols.Http1;
                listeners.Add(ListenerKind.Http, l);
            });
            kestrel.Listen(options.ListenAddress, options.GrpcPort, l =>
            {
                l.Protocols = HttpProtocols.Http2;
                listeners.Add(ListenerKind.Grpc, l);
            });
            kestrel.Listen(options.ListenAddress, options.MetricsPort, l =>
            {
                l.Protocols = HttpProtocols.Http1;
                listeners.Add(ListenerKind.Metrics, l);
            });
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(listeners);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Metrics.NewCustomRegistry());
        services.AddSingleton<ModelFetcher>();
        services.AddHttpClient<ModelFetcher>();
        services.AddSingleton<ISchedulerFactory, SliceExecutorFactory>();
        services.AddSingleton<DiscoveredPeers>();
        services.AddSingleton<InferenceEngine>();
        services.AddSingleton<ModelLifetimeService>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelLifetimeService>());
        if (options.PeerDns is { } peerDns)
        {
            services.AddSingleton<IPeerResolver>(new DnsPeerResolver(peerDns));
            services.AddHostedService<PeerDiscoveryService>();
        }

        services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = options.MaxMessageBytes;
            o.MaxSendMessageSize = null;
            o.Interceptors.Add<ErrorInterceptor>();
        });
        services.AddGrpcHealthChecks().AddCheck<ModelHealthCheck>("model");
        services.AddGrpcReflection();
        configureServices?.Invoke(services);

        var app = builder.Build();
        app.Use((context, next) =>
        {
            // Each endpoint answers only on its own port: JSON on HTTP, gRPC on gRPC, /metrics on metrics.
            var kind = context.GetEndpoint()?.Metadata.GetMetadata<ListenerMetadata>()?.Kind;
            if (kind is not null && kind != listeners.KindOf(context.Connection.LocalPort))
            {
                context.SetEndpoint(null);
            }

            // gRPC enforces its own message limit and answers RESOURCE_EXHAUSTED; Kestrel's would reset the stream.
            if (kind == ListenerKind.Grpc && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
            {
                bodyLimit.MaxRequestBodySize = null;
            }

            return next(context);
        });
        app.MapGrpcService<InferenceGrpcService>().WithMetadata(new ListenerMetadata(ListenerKind.Grpc));
        app.MapGrpcService<SlicePeerService>().WithMetadata(new ListenerMetadata(ListenerKind.Grpc));
        app.MapGrpcHealthChecksService().WithMetadata(new ListenerMetadata(ListenerKind.Grpc));
        app.MapGrpcReflectionService().WithMetadata(new ListenerMetadata(ListenerKind.Grpc));
        app.MapInferenceHttp().WithMetadata(new ListenerMetadata(ListenerKind.Http));
        app.MapMetrics("/metrics", app.Services.GetRequiredService<CollectorRegistry>()).WithMetadata(new ListenerMetadata(ListenerKind.Metrics));
        return new ServerApp(app, listeners);
    }
}
