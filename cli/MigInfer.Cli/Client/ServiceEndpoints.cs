using Grpc.Net.Client;
using MigInfer.Cli.Local;
using MigInfer.InferenceServer.Protocol;

namespace MigInfer.Cli.Client;

/// <summary>
/// The gRPC clients of one service of a running local mode, one per slice. Requests are spread over
/// the slices like a ClusterIP Service would; each server's ELSA router then places them.
/// </summary>
internal sealed class ServiceEndpoints : IDisposable
{
    private readonly List<GrpcChannel> _channels;
    private int _next = -1;

    private ServiceEndpoints(LocalService service)
    {
        Service = service;
        _channels = service.Slices.Select(s => GrpcChannel.ForAddress($"http://{s.Grpc}", new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 })).ToList();
        Clients = _channels.Select(c => new GRPCInferenceService.GRPCInferenceServiceClient(c)).ToList();
    }

    public LocalService Service { get; }

    public IReadOnlyList<GRPCInferenceService.GRPCInferenceServiceClient> Clients { get; }

    /// <summary>Finds the service in the running local mode, or explains what is missing.</summary>
    public static ServiceEndpoints Open(string service)
    {
        var state = LocalState.ReadRunning()
            ?? throw new InvalidOperationException($"no local mode is up (no live {LocalState.FilePath}); start one with: miginfer local up examples/quickstart");
        var found = state.Find(service)
            ?? throw new InvalidOperationException($"--service {service} is not served by the local mode of {state.Folder}; it serves {string.Join(", ", state.Services.Select(s => s.Name))}");
        return Of(found);
    }

    /// <summary>Clients of the slices of one service.</summary>
    public static ServiceEndpoints Of(LocalService service) => new(service);

    /// <summary>The next slice's client, round robin; safe from many threads.</summary>
    public GRPCInferenceService.GRPCInferenceServiceClient Next() =>
        Clients[(int)((uint)Interlocked.Increment(ref _next) % (uint)Clients.Count)];

    public void Dispose() => _channels.ForEach(c => c.Dispose());
}
