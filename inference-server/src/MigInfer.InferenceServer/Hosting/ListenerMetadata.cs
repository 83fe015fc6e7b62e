namespace MigInfer.InferenceServer.Hosting;

/// <summary>Endpoint metadata: the port kind an endpoint answers on.</summary>
internal sealed record ListenerMetadata(ListenerKind Kind);
