using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace MigInfer.InferenceServer.Hosting;

/// <summary>
/// The Kestrel listeners per port kind. Kestrel writes the bound endpoint back into its
/// <see cref="ListenOptions"/>, so the ports are known after start even when 0 was asked for.
/// </summary>
internal sealed class Listeners
{
    private readonly Dictionary<ListenerKind, ListenOptions> _options = [];

    public void Add(ListenerKind kind, ListenOptions options) => _options[kind] = options;

    public IPEndPoint EndPoint(ListenerKind kind) => _options[kind].IPEndPoint!;

    public ListenerKind? KindOf(int localPort) =>
        _options.FirstOrDefault(pair => pair.Value.IPEndPoint?.Port == localPort) is { Value: not null } match ? match.Key : null;

    /// <summary>The line the server prints once bound, e.g. <c>listening http=127.0.0.1:8000 grpc=127.0.0.1:8001 metrics=127.0.0.1:8002</c>.</summary>
    public string Describe() =>
        $"listening http={EndPoint(ListenerKind.Http)} grpc={EndPoint(ListenerKind.Grpc)} metrics={EndPoint(ListenerKind.Metrics)}";
}
