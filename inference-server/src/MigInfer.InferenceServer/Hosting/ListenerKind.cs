namespace MigInfer.InferenceServer.Hosting;

/// <summary>The server's three ports.</summary>
internal enum ListenerKind
{
    Http,
    Grpc,
    Metrics,
}
